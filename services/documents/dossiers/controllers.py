"""Acceptance dossiers' API (DOC-08): draft, fill, submit (locks), review with notes, list and read."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.documents.access import STAFF
from services.documents.dossiers.models import DossierState
from services.documents.dossiers.schemas import (
    DossierCreate,
    DossierDetail,
    DossierPage,
    DossierView,
    ItemAdd,
    NoteCreate,
    NoteView,
)
from services.documents.dossiers.services import DossierService
from services.documents.library.controllers import UnitPath
from services.documents.paging import Cursor, Limit
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.problems import invalid
from shared.http.views import view, views

StateQuery = Annotated[str | None, QueryParameter(name="state", max_length=20, description="draft|submitted|accepted")]


class DossierController(Controller):
    path = "/api/documents/dossiers"
    tags = ["Acceptance dossiers"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"dossiers": provide_service(DossierService)}

    @post("/", operation_id="CreateDossier", summary="Draft an acceptance dossier on a unit")
    async def create(self, dossiers: NamedDependency[DossierService], data: JSONBody[DossierCreate]) -> DossierView:
        return view(DossierView, await dossiers.create(data))

    @get("/", operation_id="ListDossiers", summary="Dossiers under the caller's scope, newest first")
    async def list_dossiers(
        self,
        dossiers: NamedDependency[DossierService],
        unit_path: UnitPath = None,
        in_state: StateQuery = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> DossierPage:
        if in_state is not None and in_state not in tuple(DossierState):
            raise invalid("query.state", f"one of: {', '.join(DossierState)}")
        rows, following = await dossiers.page(unit_path, in_state, cursor=cursor, limit=limit)
        return DossierPage(items=views(DossierView, rows), next=following)

    @get("/{dossier_id:uuid}", operation_id="GetDossier", summary="A dossier with its documents and review notes")
    async def get_dossier(self, dossiers: NamedDependency[DossierService], dossier_id: FromPath[UUID]) -> DossierDetail:
        return await dossiers.detail(await dossiers.get(dossier_id))

    @post("/{dossier_id:uuid}/items", operation_id="AddDossierItem", summary="Add a document to a draft dossier")
    async def add_item(
        self, dossiers: NamedDependency[DossierService], dossier_id: FromPath[UUID], data: JSONBody[ItemAdd]
    ) -> DossierDetail:
        return await dossiers.detail(await dossiers.add_item(dossier_id, data.document_id))

    @delete(
        "/{dossier_id:uuid}/items/{document_id:uuid}",
        operation_id="RemoveDossierItem",
        summary="Take a document out of a draft dossier",
    )
    async def remove_item(
        self, dossiers: NamedDependency[DossierService], dossier_id: FromPath[UUID], document_id: FromPath[UUID]
    ) -> None:
        await dossiers.remove_item(dossier_id, document_id)

    @post(
        "/{dossier_id:uuid}/submit",
        operation_id="SubmitDossier",
        summary="Submit a dossier for acceptance: its documents are locked",
        status_code=200,
    )
    async def submit(self, dossiers: NamedDependency[DossierService], dossier_id: FromPath[UUID]) -> DossierDetail:
        return await dossiers.detail(await dossiers.submit(dossier_id))

    @post(
        "/{dossier_id:uuid}/notes",
        operation_id="AddDossierNote",
        summary="A reviewer's note, with an optional verdict: accepted, or returned (a draft again)",
    )
    async def add_note(
        self, dossiers: NamedDependency[DossierService], dossier_id: FromPath[UUID], data: JSONBody[NoteCreate]
    ) -> NoteView:
        return view(NoteView, await dossiers.note(dossier_id, data))
