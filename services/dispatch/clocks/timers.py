"""Which clocks run for a ticket in each status, as ``deadline`` rows (docs/architecture-notes.md, "Dispatch").

Entering ``routing`` starts the sign-for clock; signing for it stops that and starts the arrival clock
(orders with an arrival limit); arriving stops the arrival clock. The resolution clock of the current
ladder level runs from intake (or from escalation) until the ticket is resolved. Leaving the open
states cancels whatever still runs; reopening starts the resolution clock again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.clocks.calendar import add_working_minutes
from services.dispatch.models import Deadline, DeadlineKind, ServiceCategory, Ticket, TicketStatus
from services.dispatch.settings import ladder_level
from shared.clock import now

S = TicketStatus
K = DeadlineKind


async def stop(session: AsyncSession, ticket: Ticket, *kinds: str) -> None:
    """The clocks of ``kinds`` (all when empty) are met or no longer apply."""
    query = update(Deadline).where(
        Deadline.ticket_id == ticket.id, Deadline.fired_at.is_(None), Deadline.cancelled_at.is_(None)
    )
    if kinds:
        query = query.where(Deadline.kind.in_(kinds))
    # The clocks this transaction holds as objects are kept in step; with none (routing a new ticket), the ORM's
    # evaluation of the criteria against them would be work for nothing.
    held = any(isinstance(row, Deadline) for row in session.identity_map.values())
    options = {} if held else {"synchronize_session": False}
    await session.execute(query.values(cancelled_at=now()).execution_options(**options))


async def due_after(session: AsyncSession, start: datetime, minutes: int, *, working_time: bool) -> datetime:
    """When a limit of ``minutes`` that starts at ``start`` runs out (on the working calendar if asked)."""
    if not working_time:
        return start + timedelta(minutes=minutes)
    return await add_working_minutes(session, start, minutes)


def add(
    session: AsyncSession,
    ticket: Ticket,
    kind: str,
    due_at: datetime,
    *,
    started_at: datetime | None = None,
    limit_minutes: int | None = None,
    working_time: bool | None = None,
) -> Deadline:
    """A clock of ``kind`` for the ticket's current ladder level, due at ``due_at`` (its configured limit kept
    so that a warning can name it)."""
    deadline = Deadline(
        ticket_id=ticket.id,
        kind=kind,
        level_rank=ticket.level_rank,
        started_at=started_at or now(),
        due_at=due_at,
        limit_minutes=limit_minutes,
        working_time=working_time,
    )
    session.add(deadline)
    return deadline


async def start(session: AsyncSession, ticket: Ticket, kind: str, minutes: int | None, *, working_time: bool) -> None:
    if minutes is None:
        return
    begun = now()
    due_at = await due_after(session, begun, minutes, working_time=working_time)
    add(session, ticket, kind, due_at, started_at=begun, limit_minutes=minutes, working_time=working_time)


async def _category(session: AsyncSession, ticket: Ticket) -> ServiceCategory | None:
    return await session.get(ServiceCategory, ticket.category_id) if ticket.category_id else None


async def start_resolution(session: AsyncSession, ticket: Ticket, *, fresh: bool = False) -> None:
    """The current ladder level's resolution clock: the level's own limit, else the category's. ``fresh``: a
    ticket just taken in, with no clock to stop yet (saves intake a statement)."""
    if not fresh:
        await stop(session, ticket, K.RESOLUTION, K.RED)
    level = await ladder_level(session, ticket.level_rank)
    category = await _category(session, ticket)
    minutes = level.resolution_minutes if level and level.resolution_minutes else None
    working = False
    if minutes is None and category is not None:
        minutes, working = category.resolution_minutes, category.working_time
    await start(session, ticket, K.RESOLUTION, minutes, working_time=working)


async def on_status(session: AsyncSession, ticket: Ticket, before: str) -> None:
    after = ticket.status
    category = await _category(session, ticket)
    working = category.working_time if category else False
    if after == S.ROUTING and before != S.ROUTING:
        await stop(session, ticket, K.SIGN_FOR, K.ARRIVAL)
        minutes = category.sign_for_minutes if category else None
        await start(session, ticket, K.SIGN_FOR, minutes, working_time=working)
    elif after == S.ASSIGNED and before in (S.NEW, S.ROUTING):
        await stop(session, ticket, K.SIGN_FOR)
        if ticket.provider_id is not None and category is not None:
            await start(session, ticket, K.ARRIVAL, category.arrival_minutes, working_time=False)
    elif after == S.ON_SITE:
        await stop(session, ticket, K.ARRIVAL)
    elif after in (S.RESOLVED, S.CLOSED, S.CANCELLED, S.MERGED):
        await stop(session, ticket)
    if before in (S.RESOLVED, S.CLOSED) and after in (S.ASSIGNED, S.ROUTING):  # reopened
        await start_resolution(session, ticket)
