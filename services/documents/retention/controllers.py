"""Retention and legal hold's API (DOC-09): deleting a document, changing its retention class, legal holds, the
deletion log, and the archive's lists of documents due for disposal or for a refresh.

A deletion is ``POST /documents/{id}/deletion {reason}`` rather than a DELETE with a body: a body on DELETE has
no defined meaning in HTTP, some clients and proxies drop it, and the call creates a record (the log entry).
"""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.documents.access import REGISTRARS, STAFF
from services.documents.files.store import FileStore
from services.documents.library.controllers import UnitPath
from services.documents.library.schemas import DocumentView
from services.documents.library.views import document_view
from services.documents.paging import Cursor, Limit
from services.documents.retention.disposal import DisposalService
from services.documents.retention.models import DocumentDeletion, LegalHold
from services.documents.retention.schemas import (
    DeletedVersion,
    DeletionPage,
    DeletionView,
    DuePage,
    HoldPage,
    HoldView,
    ReasonBody,
    RefreshPage,
    RetentionChange,
)
from services.documents.retention.services import RetentionService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

REGISTRAR = [requires_role(*REGISTRARS)]


def deletion_view(row: DocumentDeletion) -> DeletionView:
    return view(DeletionView, row, versions=msgspec.convert(row.versions, list[DeletedVersion]))


def hold_view(row: LegalHold, title: str) -> HoldView:
    return view(HoldView, row, title=title)


class RetentionController(Controller):
    path = "/api/documents"
    tags = ["Retention and legal hold"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {
        "retention": provide_service(RetentionService),
        "disposal": provide_service(DisposalService),
    }

    @post(
        "/documents/{document_id:uuid}/deletion",
        operation_id="DeleteDocument",
        summary="Delete a document's files for good, with the reason, when its retention and holds allow",
    )
    async def delete_document(
        self,
        retention: NamedDependency[RetentionService],
        files: NamedDependency[FileStore],
        document_id: FromPath[UUID],
        data: JSONBody[ReasonBody],
    ) -> DeletionView:
        return deletion_view(await retention.delete(document_id, data.reason, files.objects))

    @patch(
        "/documents/{document_id:uuid}/retention",
        operation_id="ChangeDocumentRetention",
        summary="Give a document another retention class (not an immutable or held one)",
    )
    async def change_retention(
        self,
        retention: NamedDependency[RetentionService],
        document_id: FromPath[UUID],
        data: JSONBody[RetentionChange],
    ) -> DocumentView:
        row = await retention.change_class(document_id, data.retention_class)
        current = await retention.documents.current([row])
        return document_view(row, current.get(row.id))

    @post(
        "/documents/{document_id:uuid}/hold",
        operation_id="PlaceLegalHold",
        summary="Put a document under legal hold: no deletion, no retention change until released",
        guards=REGISTRAR,
    )
    async def place_hold(
        self, retention: NamedDependency[RetentionService], document_id: FromPath[UUID], data: JSONBody[ReasonBody]
    ) -> HoldView:
        row = await retention.hold(document_id, data.reason)
        return hold_view(row, (await retention.titles([document_id]))[document_id])

    @post(
        "/documents/{document_id:uuid}/hold/release",
        operation_id="ReleaseLegalHold",
        summary="Release a document's legal hold",
        guards=REGISTRAR,
        status_code=200,
    )
    async def release_hold(
        self, retention: NamedDependency[RetentionService], document_id: FromPath[UUID], data: JSONBody[ReasonBody]
    ) -> HoldView:
        row = await retention.release(document_id, data.reason)
        return hold_view(row, (await retention.titles([document_id]))[document_id])

    @get("/documents/holds", operation_id="ListLegalHolds", summary="Legal holds in force, newest first")
    async def list_holds(
        self, retention: NamedDependency[RetentionService], cursor: Cursor = None, limit: Limit = 50
    ) -> HoldPage:
        rows, following = await retention.holds(cursor=cursor, limit=limit)
        titles = await retention.titles([row.document_id for row in rows])
        return HoldPage(items=[hold_view(row, titles[row.document_id]) for row in rows], next=following)

    @get("/deletions", operation_id="ListDeletions", summary="The deletion log, newest first", guards=REGISTRAR)
    async def list_deletions(
        self, retention: NamedDependency[RetentionService], cursor: Cursor = None, limit: Limit = 50
    ) -> DeletionPage:
        rows, following = await retention.deletions(cursor=cursor, limit=limit)
        return DeletionPage(items=[deletion_view(row) for row in rows], next=following)

    @get(
        "/retention/due",
        operation_id="ListDisposalDue",
        summary="Documents past their retention, not held: for the archive's disposal decision",
    )
    async def list_due(
        self,
        disposal: NamedDependency[DisposalService],
        unit_path: UnitPath = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> DuePage:
        items, following = await disposal.due(unit_path, cursor=cursor, limit=limit)
        return DuePage(items=items, next=following)

    @get(
        "/retention/refresh-due",
        operation_id="ListRefreshDue",
        summary="Documents whose type asks for a periodic refresh and whose current version is older than that",
    )
    async def list_refresh_due(
        self,
        disposal: NamedDependency[DisposalService],
        unit_path: UnitPath = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> RefreshPage:
        items, following = await disposal.refresh_due(unit_path, cursor=cursor, limit=limit)
        return RefreshPage(items=items, next=following)
