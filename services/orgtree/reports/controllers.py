from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, Parameter, QueryParameter

from services.orgtree.access import STAFF
from services.orgtree.reports.schemas import GuidanceReport, NetworkRollup, RedCellCoverage, UnpostedMember
from services.orgtree.reports.services import ReportService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant

Within = Annotated[UUID | None, QueryParameter()]


class ReportController(Controller):
    path = "/api/orgtree/reports"
    tags = ["Reports"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"reports": provide_service(ReportService)}

    @get(
        "/network/{node_id:uuid}",
        operation_id="NetworkRollup",
        summary="Stationed and village cadres, red-collar leaders, members, households under a unit",
    )
    async def network(self, reports: NamedDependency[ReportService], node_id: FromPath[UUID]) -> NetworkRollup:
        return await reports.network(node_id)

    @get(
        "/red-cell-coverage",
        operation_id="RedCellCoverage",
        summary="Members serving outside the district's range, and households no member serves",
    )
    async def coverage(self, reports: NamedDependency[ReportService], within: Within = None) -> RedCellCoverage:
        return await reports.coverage(within)

    @get("/guidance", operation_id="GuidanceReport", summary="Cadres below the monthly contact minimum")
    async def guidance(
        self,
        reports: NamedDependency[ReportService],
        month: Annotated[str, QueryParameter(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")],
        within: Within = None,
    ) -> GuidanceReport:
        year, number = month.split("-")
        return await reports.guidance(date(int(year), int(number), 1), within)

    @get("/unposted-members", operation_id="UnpostedMembers", summary="Members without office who hold no post")
    async def unposted(
        self,
        reports: NamedDependency[ReportService],
        within: Within = None,
        limit: Annotated[int, Parameter(ge=1, le=1000)] = 200,
    ) -> list[UnpostedMember]:
        return await reports.unposted(within, limit)
