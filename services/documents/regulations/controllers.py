"""The regulation library's API (DOC-10): register a unit's regulation, list what is in force, end or supersede."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.documents.access import STAFF
from services.documents.paging import Cursor, Limit
from services.documents.regulations.schemas import RegulationCreate, RegulationPage, RegulationUpdate, RegulationView
from services.documents.regulations.services import RegulationService
from services.documents.retention.rules import today
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant

UnitPath = Annotated[
    str | None,
    QueryParameter(
        name="unitPath", max_length=400, pattern=r"^/([^/]+/)*$", description="the unit (default: the caller's scope)"
    ),
]
AsOf = Annotated[date | None, QueryParameter(name="asOf", description="the day (default: today)")]
Ancestors = Annotated[
    bool, QueryParameter(name="includeAncestors", description="also the regulations of the units above")
]


class RegulationController(Controller):
    path = "/api/documents/regulations"
    tags = ["Regulation library"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"regulations": provide_service(RegulationService)}

    @post("/", operation_id="RegisterRegulation", summary="Enter a regulation document in its unit's library")
    async def register(
        self, regulations: NamedDependency[RegulationService], data: JSONBody[RegulationCreate]
    ) -> RegulationView:
        return await regulations.register(data)

    @get("/", operation_id="ListRegulations", summary="The regulations in force on a day, latest first")
    async def list_regulations(
        self,
        regulations: NamedDependency[RegulationService],
        unit_path: UnitPath = None,
        as_of: AsOf = None,
        include_ancestors: Ancestors = False,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> RegulationPage:
        items, following = await regulations.in_force(
            unit_path,
            as_of or today(),
            include_ancestors=include_ancestors,
            cursor=cursor,
            limit=limit,
        )
        return RegulationPage(items=items, next=following)

    @patch(
        "/{document_id:uuid}",
        operation_id="UpdateRegulation",
        summary="End a regulation, mark what superseded it, or settle its trial",
    )
    async def update(
        self,
        regulations: NamedDependency[RegulationService],
        document_id: FromPath[UUID],
        data: JSONBody[RegulationUpdate],
    ) -> RegulationView:
        return await regulations.update(document_id, data)
