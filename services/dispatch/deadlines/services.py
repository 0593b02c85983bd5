"""Reading a ticket's clocks (the rows the sweep fires)."""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.repository import OrderingPair
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Deadline
from services.dispatch.tickets.services import TicketService
from shared.db.repository import Repository


class DeadlineRepository(Repository[Deadline]):
    model_type = Deadline
    noun = "deadline"


class DeadlineService:
    def __init__(self, session: AsyncSession, tickets: TicketService) -> None:
        self.tickets = tickets
        self.clocks = DeadlineRepository(session)

    async def of_ticket(self, ticket_id: UUID) -> list[Deadline]:
        """The clocks of a ticket the caller may see, oldest first."""
        ticket = await self.tickets.get(ticket_id)
        oldest_first: list[OrderingPair] = [Deadline.started_at.asc(), Deadline.id.asc()]
        return await self.clocks.get_many(Deadline.ticket_id == ticket.id, order_by=oldest_first)
