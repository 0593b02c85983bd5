"""The deadline sweep (DSP-05, DSP-16): every few seconds, fire each due clock exactly once.

Finding due rows crosses districts, so it reads with the system role (the partial index
``ix_deadline_due`` holds only waiting rows). Firing is per row, in its own transaction under the row's
district with the application role, so RLS still applies to everything a warning writes. Exactly once,
even with two schedulers, a rerun or a kill mid-batch: the ticket is locked first (the order every API
path uses: ticket, then its clocks), the deadline then ``FOR UPDATE SKIP LOCKED`` and re-checked unfired
before anything is written, and ``fired_at`` commits together with the warning, its history and events.

What a clock running out does is ``overdue.py``. A clock of a ticket that is no longer open is marked fired
with no warning.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch import SERVICE
from services.dispatch.deadlines.overdue import run_out
from services.dispatch.escalation.ladder import SYSTEM_ACTOR
from services.dispatch.models import OPEN_STATUSES, Deadline, Ticket
from shared.clock import now
from shared.scheduler import Job, apply_each, due_across_districts
from shared.settings import Settings

SWEEP_INTERVAL_S = 5.0
BATCH = 500  # per run; a backlog drains over the next runs, oldest first

_WAITING = (Deadline.fired_at.is_(None), Deadline.cancelled_at.is_(None), Deadline.due_at <= func.now())


async def fire(session: AsyncSession, deadline_id: UUID, ticket_id: UUID) -> bool:
    """Fire one due deadline in the session's (district's) transaction; False when another run got it first
    or it no longer waits."""
    ticket = await session.scalar(
        select(Ticket).where(Ticket.id == ticket_id).with_for_update().execution_options(populate_existing=True)
    )
    deadline = await session.scalar(
        # Still waiting and due: an approved extension may have moved it since it was found.
        select(Deadline)
        .where(Deadline.id == deadline_id, *_WAITING)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    if ticket is None or deadline is None:
        return False
    deadline.fired_at = now()
    if ticket.status in OPEN_STATUSES:
        await run_out(session, ticket, deadline)
    return True


async def sweep_deadlines(settings: Settings) -> int:
    """One run of the sweep; returns how many deadlines it fired."""
    query = (
        select(Deadline.tenant_id, Deadline.id, Deadline.ticket_id)
        .where(*_WAITING)
        .order_by(Deadline.due_at)
        .limit(BATCH)
    )
    due = await due_across_districts(settings, SERVICE, query)

    async def fire_row(session: AsyncSession, ids: tuple[UUID, UUID]) -> int:
        return await fire(session, *ids)

    rows = [(row.tenant_id, (row.id, row.ticket_id)) for row in due]
    return await apply_each(settings, SERVICE, rows, fire_row, actor=SYSTEM_ACTOR)


JOBS: list[Job] = [Job(f"{SERVICE}.deadlines", SWEEP_INTERVAL_S, sweep_deadlines)]
