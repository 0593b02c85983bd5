"""The ladder as staff use it through the API: a case moved one rung up, and the path it took so far."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.escalation.ladder import escalate, level_at
from services.dispatch.escalation.schemas import EscalationPath, EscalationStep
from services.dispatch.models import Ticket, TicketHistory
from services.dispatch.tickets.history import actor_label
from services.dispatch.tickets.services import TicketService
from shared.auth.principal import Principal
from shared.http.views import view


class EscalationService:
    def __init__(self, session: AsyncSession, principal: Principal, tickets: TicketService) -> None:
        self.session = session
        self.principal = principal
        self.tickets = tickets

    async def escalate(self, ticket_id: UUID, to_level: int, reason: str) -> Ticket:
        ticket = await self.tickets.get(ticket_id, for_update=True)
        actor = str(self.principal.user_id)
        await escalate(self.session, ticket, to_level, reason.strip(), actor=actor, automatic=False)
        return ticket

    async def path(self, ticket_id: UUID) -> EscalationPath:
        ticket = await self.tickets.get(ticket_id)
        rows = await self.session.scalars(
            select(TicketHistory)
            .where(TicketHistory.ticket_id == ticket.id, TicketHistory.action == "escalated")
            .order_by(TicketHistory.at, TicketHistory.id)
        )
        steps = [step(row, self.principal) for row in rows]
        level = await level_at(self.session, ticket.level_rank)
        return EscalationPath(
            ticket_id=ticket.id,
            level=ticket.level_rank,
            level_code=level.code if level else None,
            level_name=level.name if level else None,
            unit_id=ticket.unit_id,
            steps=steps,
        )


def step(row: TicketHistory, viewer: Principal) -> EscalationStep:
    """One move up the ladder, from its history row (what the rung was is in the row's details)."""
    details = row.details
    return view(
        EscalationStep,
        row,
        actor_name=actor_label(row.actor, row.actor_name, viewer),
        level_code=_text(details.get("levelCode")),
        level_name=_text(details.get("levelName")),
        unit_id=_uuid(details.get("unitId")),
        automatic=bool(details.get("automatic")),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _uuid(value: object) -> UUID | None:
    return UUID(value) if isinstance(value, str) else None
