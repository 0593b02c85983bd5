"""Reading a ticket's clocks (the rows the sweep fires)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.clocks.schemas import DeadlineView
from services.dispatch.models import Deadline
from services.dispatch.tickets.services import TicketService
from shared.auth.principal import Principal


def deadline_view(d: Deadline) -> DeadlineView:
    state = "fired" if d.fired_at else "cancelled" if d.cancelled_at else "running"
    return DeadlineView(id=d.id, kind=d.kind, level=d.level_rank, started_at=d.started_at, due_at=d.due_at,
                        fired_at=d.fired_at, cancelled_at=d.cancelled_at, state=state)  # fmt: skip


async def ticket_deadlines(session: AsyncSession, principal: Principal, ticket_id: UUID) -> list[Deadline]:
    ticket = await TicketService(session, principal).get(ticket_id)
    rows = await session.scalars(
        select(Deadline).where(Deadline.ticket_id == ticket.id).order_by(Deadline.started_at, Deadline.id)
    )
    return list(rows)
