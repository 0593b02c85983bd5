"""A ticket's clocks for the hotline floor (DSP-05, DSP-16)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import STAFF
from services.dispatch.clocks.schemas import DeadlineView
from services.dispatch.clocks.services import deadline_view, ticket_deadlines
from shared.http.guards import principal_of, requires_role, requires_tenant

AnyRequest = Request[Any, Any, Any]


class DeadlineController(Controller):
    path = "/api/dispatch/tickets"
    tags = ["Clocks"]
    guards = [requires_tenant, requires_role(*STAFF)]

    @get("/{ticket_id:uuid}/deadlines", operation_id="ListTicketDeadlines",
         summary="The ticket's time limits: kind, due time, fired or cancelled")  # fmt: skip
    async def deadlines(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID]
    ) -> list[DeadlineView]:
        return [deadline_view(d) for d in await ticket_deadlines(db_session, principal_of(request), ticket_id)]
