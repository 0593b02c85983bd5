"""The ladder moves (DSP-14): one rung at a time, each rung answered by the grid's ancestor at its level.

``escalate`` is the one way a ticket changes rung: staff call it through the API and the deadline sweep
calls it when a red warning runs out (``automatic``). Both lock the ticket first, so a manual and an
automatic escalation of the same case cannot both land.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.catalogue.defaults import ORG_LEVELS
from services.dispatch.clocks import timers
from services.dispatch.models import OPEN_STATUSES, DirectoryGrid, LadderLevel, Offer, OfferStatus, Ticket, TicketStatus
from services.dispatch.settings import ladder_level
from services.dispatch.tickets.history import record
from services.dispatch.tickets.transitions import move
from shared import audit
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.dispatch import TicketEscalated
from shared.http.problems import conflict, invalid
from shared.messaging.outbox import publish

SYSTEM_ACTOR = "system:dispatch-scheduler"
AUTO_REASON = "逾期自动升级"


async def level_at(session: AsyncSession, rank: int) -> LadderLevel | None:
    return await ladder_level(session, rank)


async def unit_at(session: AsyncSession, ticket: Ticket, org_level: str) -> UUID | None:
    """The unit of the ticket's grid chain that answers at ``org_level`` (the nearest one above the grid)."""
    if ticket.grid_id is None:
        return None
    if org_level == "grid":
        return ticket.grid_id
    grid = await session.get(DirectoryGrid, ticket.grid_id)
    if grid is None:
        return None
    levels = ORG_LEVELS.get(org_level, (org_level,))
    for ancestor in reversed(grid.ancestors):  # root first in the row: the nearest match is the last
        if ancestor.get("level") in levels:
            return UUID(ancestor["id"])
    return None


async def escalate(
    session: AsyncSession, ticket: Ticket, to_level: int, reason: str, *, actor: str, automatic: bool
) -> LadderLevel:
    """Move a locked, open ticket to rung ``to_level``: 422 for a rung the district lacks, 409 for any rung
    but the next one. The unit of that rung owns it from now on, with a fresh resolution clock."""
    if ticket.status not in OPEN_STATUSES:
        raise conflict(f"only an open case can be escalated; this one is {ticket.status}")
    target = await level_at(session, to_level)
    if target is None:
        raise invalid("toLevel", "not a level of this district's ladder", "no such ladder level in this district")
    before = ticket.level_rank
    if to_level != before + 1:
        raise conflict(
            f"a case moves one level at a time: it is at level {before}, so only level {before + 1} "
            f"is possible, not {to_level}"
        )
    ticket.level_rank = to_level
    ticket.unit_id = await unit_at(session, ticket, target.org_level)
    # The yellow or red mark stays: it records that the case ran late, which escalating does not undo.
    withdrawn = await session.execute(
        update(Offer)
        .where(Offer.ticket_id == ticket.id, Offer.status == OfferStatus.OPEN)
        .values(status=OfferStatus.WITHDRAWN, answered_at=now())
    )
    unit_id = str(ticket.unit_id) if ticket.unit_id else None
    details: dict[str, Any] = {
        "levelCode": target.code,
        "levelName": target.name,
        "orgLevel": target.org_level,
        "unitId": unit_id,
        "automatic": automatic,
        "offersWithdrawn": int(withdrawn.rowcount or 0),  # type: ignore[attr-defined]
    }
    await record(
        session,
        ticket,
        "escalated",
        from_status=ticket.status,
        from_level=before,
        reason=reason,
        details=details,
        actor=actor,
    )
    if ticket.status in (TicketStatus.NEW, TicketStatus.ROUTING):
        # Nobody signed for it below: the unit of the new rung owns it now.
        taken = f"升级至{target.name},由该级单位承办"
        await move(
            session, ticket, TicketStatus.ASSIGNED, "assigned", reason=taken, details={"unitId": unit_id}, actor=actor
        )
    await timers.start_resolution(session, ticket)
    moved = {"fromLevel": before, "toLevel": to_level, "automatic": automatic}
    await audit.record(
        session, "dispatch.ticket.escalated", subject_type="ticket", subject_id=str(ticket.id), detail=moved
    )
    escalated = TicketEscalated(
        tenant_id=require_tenant(),
        ticket_id=ticket.id,
        from_level=before,
        to_level=to_level,
        level_code=target.code,
        unit_id=ticket.unit_id,
        automatic=automatic,
    )
    await publish(session, escalated)
    return target
