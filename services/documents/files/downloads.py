"""Downloads (DOC-02, DOC-03): a short-lived presigned GET of a stored version, issued only to whoever reads the
document (``visibility.readable``; anyone else gets the 404 of a document not there), always audited.

The link names the file (sanitised) as an attachment with the type read from its bytes; PDFs and images may be
asked for ``inline``, for the console's preview. An image's thumbnail (made by the worker) has its own link.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.access import READERS
from services.documents.files.store import FileStore
from services.documents.library.models import Document, DocumentState, DocumentVersion, VersionState
from services.documents.library.services import DocumentService
from services.documents.uploads.checks import base_type
from services.documents.uploads.schemas import DownloadLink, ThumbnailLink
from shared import audit
from shared.clock import now
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.problems import invalid, missing

VersionNumber = Annotated[int | None, QueryParameter(name="version", ge=1, description="default: the current one")]
Inline = Annotated[bool, QueryParameter(name="inline", description="open in the browser (PDFs and images only)")]
PREVIEWABLE = ("application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp")
THUMBNAIL_TYPE = "image/jpeg"


class DownloadService:
    def __init__(self, session: AsyncSession, documents: DocumentService) -> None:
        self.session = session
        self.documents = documents

    async def stored(self, document_id: UUID, number: int | None) -> tuple[Document, DocumentVersion]:
        document = await self.documents.get(document_id)
        if document.state != DocumentState.ACTIVE:
            raise missing("version")  # a deleted document's files are gone; a pending one has none yet
        version = await self.session.scalar(
            select(DocumentVersion).where(
                DocumentVersion.document_id == document.id,
                DocumentVersion.number == (number or document.current_version),
                DocumentVersion.state == VersionState.STORED,
            )
        )
        if version is None:
            raise missing("version")
        return document, version


class DownloadController(Controller):
    path = "/api/documents/documents"
    tags = ["Documents"]
    guards = [requires_tenant, requires_role(*READERS)]
    dependencies = {"downloads": provide_service(DownloadService)}

    @get("/{document_id:uuid}/download", operation_id="GetDocumentDownload", summary="A short-lived download link")
    async def download(
        self,
        downloads: NamedDependency[DownloadService],
        files: NamedDependency[FileStore],
        document_id: FromPath[UUID],
        number: VersionNumber = None,
        inline: Inline = False,
    ) -> DownloadLink:
        document, version = await downloads.stored(document_id, number)
        content_type = version.content_type or "application/octet-stream"
        if inline and base_type(content_type) not in PREVIEWABLE:
            raise invalid("query.inline", "only PDFs and images open in the browser; download the others")
        ttl = timedelta(seconds=files.config.download_url_ttl_s)
        url = files.presigned_get(
            version.object_key, ttl, filename=version.filename, content_type=content_type, inline=inline
        )
        await audit.record(
            downloads.session,
            "documents.downloaded",
            subject_type="document",
            subject_id=str(document.id),
            detail={"version": version.number, "inline": inline},
        )
        return DownloadLink(url=url, expires_at=now() + ttl, filename=version.filename, content_type=content_type)

    @get("/{document_id:uuid}/thumbnail", operation_id="GetDocumentThumbnail", summary="An image's thumbnail link")
    async def thumbnail(
        self,
        downloads: NamedDependency[DownloadService],
        files: NamedDependency[FileStore],
        document_id: FromPath[UUID],
        number: VersionNumber = None,
    ) -> ThumbnailLink:
        _, version = await downloads.stored(document_id, number)
        if version.thumbnail_key is None:
            raise missing("thumbnail")
        ttl = timedelta(seconds=files.config.download_url_ttl_s)
        url = files.presigned_get(
            version.thumbnail_key, ttl, filename="thumbnail.jpg", content_type=THUMBNAIL_TYPE, inline=True
        )
        return ThumbnailLink(url=url, expires_at=now() + ttl)
