"""Documents the caller may read: a unit's or a subject's list, one document, its version history."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.documents.access import READERS
from services.documents.files.store import FileStore
from services.documents.library.schemas import DocumentPage, DocumentView, VersionList
from services.documents.library.services import DocumentService, Filters
from services.documents.library.views import document_view, version_view
from services.documents.paging import Cursor, Limit
from services.documents.uploads.controllers import start_version
from services.documents.uploads.schemas import NewVersionRequest, UploadStarted
from services.documents.uploads.services import UploadService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant

UnitPath = Annotated[
    str | None,
    QueryParameter(name="unitPath", max_length=400, pattern=r"^/([^/]+/)*$", description="documents at or under it"),
]
SubjectKindQuery = Annotated[str | None, QueryParameter(name="subjectKind", max_length=30)]
SubjectIdQuery = Annotated[UUID | None, QueryParameter(name="subjectId")]
TypeQuery = Annotated[str | None, QueryParameter(name="type", max_length=40, description="a document type's code")]
Deleted = Annotated[bool, QueryParameter(name="includeDeleted", description="also the records of deleted ones")]


class DocumentController(Controller):
    path = "/api/documents/documents"
    tags = ["Documents"]
    guards = [requires_tenant, requires_role(*READERS)]
    # uploads: a new version's POST shares its path with the history's GET (uploads/controllers.py)
    dependencies = {"documents": provide_service(DocumentService), "uploads": provide_service(UploadService)}

    @get("/", operation_id="ListDocuments", summary="Documents the caller may read, newest first")
    async def list_documents(
        self,
        documents: NamedDependency[DocumentService],
        unit_path: UnitPath = None,
        subject_kind: SubjectKindQuery = None,
        subject_id: SubjectIdQuery = None,
        type_code: TypeQuery = None,
        include_deleted: Deleted = False,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> DocumentPage:
        filters = Filters(unit_path, subject_kind, subject_id, type_code, include_deleted)
        rows, following = await documents.page(filters, cursor=cursor, limit=limit)
        current = await documents.current(rows)
        return DocumentPage(items=[document_view(row, current.get(row.id)) for row in rows], next=following)

    @get("/{document_id:uuid}", operation_id="GetDocument", summary="One document with its current version")
    async def get_document(
        self, documents: NamedDependency[DocumentService], document_id: FromPath[UUID]
    ) -> DocumentView:
        row = await documents.get(document_id)
        current = await documents.current([row])
        return document_view(row, current.get(row.id))

    @get(
        "/{document_id:uuid}/versions", operation_id="ListDocumentVersions", summary="The version history, newest first"
    )
    async def list_versions(
        self, documents: NamedDependency[DocumentService], document_id: FromPath[UUID]
    ) -> VersionList:
        row = await documents.get(document_id)
        return VersionList(items=[version_view(version) for version in await documents.versions(row)])

    @post("/{document_id:uuid}/versions", operation_id="StartVersionUpload", summary="A new version: its upload")
    async def start_version(
        self,
        uploads: NamedDependency[UploadService],
        files: NamedDependency[FileStore],
        document_id: FromPath[UUID],
        data: JSONBody[NewVersionRequest],
    ) -> UploadStarted:
        return await start_version(uploads, files, document_id, data)
