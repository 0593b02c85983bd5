"""三率 boards for the hotline and the tree's staff (peer-systems 1.2): who answers, solves and satisfies."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from services.dispatch.access import STAFF
from services.dispatch.reports.schemas import RatesReport
from services.dispatch.reports.services import RatesService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant

# Optional in the signature only so that a missing one is a 422 naming it (checked in the service).
FirstDay = Annotated[str | None, QueryParameter(name="from", description="YYYY-MM-DD, first day received")]
LastDay = Annotated[str | None, QueryParameter(name="to", description="YYYY-MM-DD, last day received")]
GroupBy = Annotated[str, QueryParameter(name="by", description="grid | village | street | provider")]


class ReportController(Controller):
    path = "/api/dispatch/reports"
    tags = ["Reports"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"reports": provide_service(RatesService)}

    @get(
        "/rates",
        operation_id="TicketRates",
        summary="Response, resolution and satisfaction rates (三率) per grid, village, street, provider",
    )
    async def rates(
        self, reports: NamedDependency[RatesService], start: FirstDay = None, end: LastDay = None, by: GroupBy = "grid"
    ) -> RatesReport:
        return await reports.rates(start, end, by)
