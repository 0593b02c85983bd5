from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, Parameter, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.access import STAFF
from services.orgtree.reports.schemas import GuidanceReport, NetworkRollup, RedCellCoverage, UnpostedMember
from services.orgtree.reports.services import ReportService
from shared.http.guards import principal_of, requires_role, requires_tenant


class ReportController(Controller):
    path = "/api/orgtree/reports"
    tags = ["Reports"]
    guards = [requires_tenant, requires_role(*STAFF)]

    @get("/network/{node_id:uuid}", operation_id="NetworkRollup",
         summary="Stationed and village cadres, red-collar leaders, members, households under a unit")  # fmt: skip
    async def network(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], node_id: FromPath[UUID]
    ) -> NetworkRollup:
        return await ReportService(db_session, principal_of(request)).network(node_id)

    @get("/red-cell-coverage", operation_id="RedCellCoverage",
         summary="Members serving outside the district's range, and households no member serves")  # fmt: skip
    async def coverage(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        within: Annotated[UUID | None, QueryParameter()] = None,
    ) -> RedCellCoverage:
        return await ReportService(db_session, principal_of(request)).coverage(within)

    @get("/guidance", operation_id="GuidanceReport", summary="Cadres below the monthly contact minimum")
    async def guidance(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        month: Annotated[str, QueryParameter(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")],
        within: Annotated[UUID | None, QueryParameter()] = None,
    ) -> GuidanceReport:
        year, number = month.split("-")
        return await ReportService(db_session, principal_of(request)).guidance(date(int(year), int(number), 1), within)

    @get("/unposted-members", operation_id="UnpostedMembers", summary="Members without office who hold no post")
    async def unposted(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        within: Annotated[UUID | None, QueryParameter()] = None,
        limit: Annotated[int, Parameter(ge=1, le=1000)] = 200,
    ) -> list[UnpostedMember]:
        return await ReportService(db_session, principal_of(request)).unposted(within, limit)
