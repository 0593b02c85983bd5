"""The household archive (群众档案, DSP-32): staff of the household's subtree keep it; each save is a refresh."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import STAFF
from services.dispatch.archive.schemas import ArchivePage, ArchiveView, ArchiveWrite, RefreshView
from services.dispatch.archive.services import ArchiveService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant

HouseholdId = FromPath[UUID]
Due = Annotated[bool, QueryParameter(name="due")]
GridId = Annotated[UUID | None, QueryParameter(name="gridId")]
Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=200)]
Offset = Annotated[int, QueryParameter(name="offset", ge=0)]


class ArchiveController(Controller):
    path = "/api/dispatch/archives"
    tags = ["Household archive"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"archives": provide_service(ArchiveService)}

    @get(
        "/",
        operation_id="ListHouseholdArchives",
        summary="Archives of the caller's scope, longest unrefreshed first; due=true: the six-month reminder",
    )
    async def list_archives(
        self,
        archives: NamedDependency[ArchiveService],
        due: Due = False,
        grid_id: GridId = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> ArchivePage:
        return await archives.page(due_only=due, grid_id=grid_id, limit=limit, offset=offset)

    @get(
        "/households/{household_id:uuid}",
        operation_id="GetHouseholdArchive",
        summary="A household's archive: family, income, assistance, demands with resolution and feedback (audited)",
    )
    async def get_archive(self, archives: NamedDependency[ArchiveService], household_id: HouseholdId) -> ArchiveView:
        return await archives.get(household_id)

    @put(
        "/households/{household_id:uuid}",
        operation_id="RefreshHouseholdArchive",
        summary="Create or refresh a household's archive (who and when are recorded)",
    )
    async def write(
        self, archives: NamedDependency[ArchiveService], household_id: HouseholdId, data: JSONBody[ArchiveWrite]
    ) -> ArchiveView:
        return await archives.write(household_id, data)

    @get(
        "/households/{household_id:uuid}/refreshes",
        operation_id="ListArchiveRefreshes",
        summary="Every refresh of the archive, newest first: who, when, what changed",
    )
    async def refreshes(
        self, archives: NamedDependency[ArchiveService], household_id: HouseholdId
    ) -> list[RefreshView]:
        return await archives.refreshes(household_id)
