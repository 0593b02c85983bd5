"""A ticket's clocks for the hotline floor (DSP-05, DSP-16)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from services.dispatch.access import STAFF
from services.dispatch.deadlines.schemas import DeadlineView
from services.dispatch.deadlines.services import DeadlineService
from services.dispatch.models import Deadline
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view


def deadline_view(row: Deadline) -> DeadlineView:
    state = "fired" if row.fired_at else "cancelled" if row.cancelled_at else "running"
    return view(DeadlineView, row, level=row.level_rank, state=state)


class DeadlineController(Controller):
    path = "/api/dispatch/tickets"
    tags = ["Clocks"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"clocks": provide_service(DeadlineService)}

    @get(
        "/{ticket_id:uuid}/deadlines",
        operation_id="ListTicketDeadlines",
        summary="The ticket's time limits: kind, due time, fired or cancelled",
    )
    async def deadlines(
        self, clocks: NamedDependency[DeadlineService], ticket_id: FromPath[UUID]
    ) -> list[DeadlineView]:
        return [deadline_view(row) for row in await clocks.of_ticket(ticket_id)]
