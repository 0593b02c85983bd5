"""三率 boards for the hotline and the tree's staff (peer-systems 1.2): who answers, solves and satisfies."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import STAFF
from services.dispatch.reports.schemas import RatesReport
from services.dispatch.reports.services import RatesService
from shared.http.guards import principal_of, requires_role, requires_tenant


class ReportController(Controller):
    path = "/api/dispatch/reports"
    tags = ["Reports"]
    guards = [requires_tenant, requires_role(*STAFF)]

    @get("/rates", operation_id="TicketRates",
         summary="Response, resolution and satisfaction rates (三率) per grid, village, street, provider")  # fmt: skip
    async def rates(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession],
        # Optional in the signature only so that a missing one is a 422 naming it (checked in the service).
        start: Annotated[str | None, QueryParameter(name="from", description="YYYY-MM-DD, first day received")] = None,
        end: Annotated[str | None, QueryParameter(name="to", description="YYYY-MM-DD, last day received")] = None,
        by: Annotated[str, QueryParameter(name="by", description="grid | village | street | provider")] = "grid",
    ) -> RatesReport:  # fmt: skip
        return await RatesService(db_session, principal_of(request)).rates(start, end, by)
