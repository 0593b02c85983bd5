"""Granting uploads (DOC-03, DOC-04): a new document with its first version, or a new version of one, each pending
until its bytes are confirmed (``confirm.py``), with a presigned upload for the browser to send them straight to
the store under a key the server built in the district's prefix.

Nothing is stored when a check fails: the type, the declared file and the caller's filing rights are checked
before any row is written or any URL signed.
"""

from __future__ import annotations

import math
from datetime import timedelta
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.dossiers.locks import locked_by_dossier
from services.documents.files.store import FileStore
from services.documents.library.models import Document, DocumentState, DocumentVersion, VersionState
from services.documents.library.services import DocumentService
from services.documents.types.models import DocumentType
from services.documents.types.services import Registry
from services.documents.uploads.checks import base_type, check_declared, check_type_open
from services.documents.uploads.rights import anchor_for, may_add_version
from services.documents.uploads.schemas import NewVersionRequest, PartUrl, UploadGrant, UploadRequest
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.http.problems import ProblemError, conflict, invalid, missing
from shared.storage import tenant_key

KEY_KIND = "documents"
MAX_PARTS = 10_000  # S3's limit on the parts of one upload


class UploadService:
    def __init__(self, session: AsyncSession, principal: Principal, documents: DocumentService) -> None:
        self.session = session
        self.principal = principal
        self.documents = documents
        self.registry = Registry(session)

    async def _type(self, code: str) -> DocumentType:
        kind = await self.session.scalar(select(DocumentType).where(DocumentType.code == code))
        if kind is None:
            raise invalid("body.typeCode", "not a document type of this district")
        check_type_open(kind)
        return kind

    async def start(self, body: UploadRequest, files: FileStore) -> tuple[Document, DocumentVersion, UploadGrant]:
        """A pending document, its pending version 1 and the upload granted for it."""
        kind = await self._type(body.type_code)
        filename = check_declared(kind, body.filename, body.content_type, body.size_bytes)
        anchor = await anchor_for(self.session, self.principal, body, kind)
        retention = await self.registry.retention_class(kind.retention_class)
        document = Document(
            type_code=kind.code,
            title=body.title,
            description=body.description,
            unit_id=body.unit_id,
            unit_path=body.unit_path,
            unit_name=body.unit_name,
            subject_kind=body.subject_kind,
            subject_id=body.subject_id,
            subject_path=anchor.subject_path,
            about_user_id=anchor.about_user_id,
            anchor_path=anchor.anchor_path,
            state=DocumentState.PENDING,
            current_version=0,
            fields=body.fields,
            retention_class=kind.retention_class,
            immutable=bool(retention and retention.immutable),
            created_by=self.principal.user_id,
            created_by_name=self.principal.name,
        )
        self.session.add(document)
        await self.session.flush()
        version = await self._new_version(
            document, 1, filename, files, declared=body.content_type, size=body.size_bytes, note=None
        )
        return document, version, self.grant(files, version)

    async def add_version(
        self, document_id: UUID, body: NewVersionRequest, files: FileStore
    ) -> tuple[Document, DocumentVersion, UploadGrant]:
        """A pending version N+1 of a document the caller reads and may file on, with its upload."""
        document = await self.documents.get(document_id, for_update=True)
        if not may_add_version(self.principal, document):
            raise ProblemError(403, "only staff who may file on this document's unit, or its creator, add versions")
        if document.state == DocumentState.DELETED:
            raise conflict("the document was deleted: it takes no new versions")
        if document.state == DocumentState.PENDING:
            raise conflict("the document's first file is not confirmed yet")
        if document.legal_hold:
            raise conflict("the document is under legal hold: it takes no new versions until the hold is lifted")
        if document.immutable:
            raise conflict(f"documents kept as {document.retention_class} are immutable: they take no new versions")
        if await locked_by_dossier(self.session, document.id):
            raise conflict("the document is in a submitted acceptance dossier: it takes no new versions until returned")
        kind = await self.registry.type_of(document.type_code)
        filename = check_declared(kind, body.filename, body.content_type, body.size_bytes)
        last = await self.session.scalar(
            select(func.max(DocumentVersion.number)).where(DocumentVersion.document_id == document.id)
        )
        number = (last or 0) + 1
        version = await self._new_version(
            document, number, filename, files, declared=body.content_type, size=body.size_bytes, note=body.change_note
        )
        return document, version, self.grant(files, version)

    async def _new_version(
        self,
        document: Document,
        number: int,
        filename: str,
        files: FileStore,
        *,
        declared: str,
        size: int,
        note: str | None,
    ) -> DocumentVersion:
        """A pending version (and the multipart upload it is sent by, above the threshold), audited."""
        key = tenant_key(require_tenant(), KEY_KIND, document.id, number)
        upload_id = None
        if size > files.config.multipart_threshold_bytes:
            if math.ceil(size / files.config.part_bytes) > MAX_PARTS:
                raise invalid("body.sizeBytes", "too large to upload")
            upload_id = await files.start_multipart(key, base_type(declared))
        version = DocumentVersion(
            document_id=document.id,
            number=number,
            state=VersionState.PENDING,
            object_key=key,
            filename=filename,
            declared_type=base_type(declared),
            declared_bytes=size,
            multipart_upload_id=upload_id,
            change_note=note,
            created_by=self.principal.user_id,
            created_by_name=self.principal.name,
        )
        self.session.add(version)
        await self.session.flush()
        await audit.record(
            self.session,
            "documents.upload.granted",
            subject_type="document",
            subject_id=str(document.id),
            detail={"type": document.type_code, "version": number, "bytes": size},
        )
        return version

    def grant(self, files: FileStore, version: DocumentVersion) -> UploadGrant:
        """The presigned requests that put the version's bytes at its key (only the holder of the grant can)."""
        ttl = timedelta(seconds=files.config.upload_url_ttl_s)
        expires_at = now() + ttl
        if version.multipart_upload_id is None:
            url = files.presigned_put(version.object_key, ttl)
            headers = {"Content-Type": version.declared_type or "application/octet-stream"}
            return UploadGrant(expires_at=expires_at, method="PUT", url=url, headers=headers)
        part_bytes = files.config.part_bytes
        count = math.ceil(version.declared_bytes / part_bytes)
        parts = [
            PartUrl(part_number=n, url=files.presigned_part(version.object_key, version.multipart_upload_id, n, ttl))
            for n in range(1, count + 1)
        ]
        return UploadGrant(
            expires_at=expires_at, upload_id=version.multipart_upload_id, part_bytes=part_bytes, parts=parts
        )

    async def pending_of(self, version_id: UUID) -> tuple[Document, DocumentVersion]:
        """A version the caller uploads, locked, with its document (another district's: 404)."""
        version = await self.session.scalar(
            select(DocumentVersion).where(DocumentVersion.id == version_id).with_for_update()
        )
        if version is None:
            raise missing("upload")
        document = await self.session.get(Document, version.document_id, with_for_update=True)
        if document is None:
            raise missing("upload")
        mine = version.created_by is not None and version.created_by == self.principal.user_id
        if not mine and not may_add_version(self.principal, document):
            raise missing("upload")
        return document, version
