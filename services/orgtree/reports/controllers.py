from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, Parameter, QueryParameter

from services.orgtree.access import STAFF
from services.orgtree.reports.schemas import (
    GuidanceReport,
    NetworkBreakdown,
    NetworkRollup,
    RedCellCoverage,
    UnpostedMember,
)
from services.orgtree.reports.services import ReportService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.problems import invalid

Within = Annotated[UUID | None, QueryParameter()]
FIRST_YEAR, LAST_YEAR = 2000, 2100  # guidance contacts are logged from now on: a month outside is a typing slip


def first_day(month: str) -> date:
    """``YYYY-MM`` (its form checked by the parameter's pattern) as the month's first day, within the years the
    report covers; year 0000 or 9999 would otherwise fail in the date arithmetic as a 500."""
    year, number = (int(part) for part in month.split("-"))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise invalid("query.month", f"a month from {FIRST_YEAR}-01 to {LAST_YEAR}-12")
    return date(year, number, 1)


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
        "/network/{node_id:uuid}/children",
        operation_id="NetworkBreakdown",
        summary="The network roll-up of a unit and of each unit directly under it",
    )
    async def network_breakdown(
        self, reports: NamedDependency[ReportService], node_id: FromPath[UUID]
    ) -> NetworkBreakdown:
        return await reports.network_breakdown(node_id)

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
        return await reports.guidance(first_day(month), within)

    @get("/unposted-members", operation_id="UnpostedMembers", summary="Members without office who hold no post")
    async def unposted(
        self,
        reports: NamedDependency[ReportService],
        within: Within = None,
        limit: Annotated[int, Parameter(ge=1, le=1000)] = 200,
    ) -> list[UnpostedMember]:
        return await reports.unposted(within, limit)
