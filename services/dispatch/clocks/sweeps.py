"""The deadline sweep (DSP-05, DSP-16): every few seconds, fire each due clock exactly once.

Finding due rows crosses districts, so it reads with the system role (the partial index
``ix_deadline_due`` holds only waiting rows). Firing is per row, in its own transaction under the row's
district with the application role, so RLS still applies to everything a warning writes. Exactly once,
even with two schedulers, a rerun or a kill mid-batch: the ticket is locked first (the order every API
path uses: ticket, then its clocks), the deadline then ``FOR UPDATE SKIP LOCKED`` and re-checked unfired
before anything is written, and ``fired_at`` commits together with the warning, its history and events.

Effects by kind:
- resolution: yellow warning, and the red clock starts (``red_after_minutes`` after the due time);
- red: red warning, then automatic escalation one rung up while there is a higher rung;
- sign_for, arrival: yellow warning on that clock (no escalation);
- referral: red warning on the referral notice's deadline.
A clock of a ticket that is no longer open is marked fired with no warning.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch import SERVICE
from services.dispatch.clocks import timers
from services.dispatch.escalation.services import AUTO_REASON, SYSTEM_ACTOR, escalate, level_at
from services.dispatch.models import OPEN_STATUSES, Deadline, DeadlineKind, DispatchSettings, Ticket
from services.dispatch.tickets.history import record
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.dispatch import TicketOverdue
from shared.messaging.outbox import publish
from shared.scheduler import Job, apply_each, due_across_districts
from shared.settings import Settings

K = DeadlineKind

SWEEP_INTERVAL_S = 5.0
BATCH = 500  # per run; a backlog drains over the next runs, oldest first
DEFAULT_RED_AFTER_MINUTES = 24 * 60
WARNING_LABELS = {
    (K.RESOLUTION, "yellow"): "办理时限已到,黄牌预警", (K.RESOLUTION, "red"): "黄牌后仍未办结,红牌预警",
    (K.SIGN_FOR, "yellow"): "签收超时,黄牌预警", (K.ARRIVAL, "yellow"): "到场超时,黄牌预警",
    (K.REFERRAL, "red"): "抄告单逾期未办结,红牌预警",
}  # fmt: skip


async def _warn(session: AsyncSession, ticket: Ticket, deadline: Deadline, warning: str, clock: str) -> None:
    """The accountability record (督查问责): a history row and a TicketOverdue event for training."""
    await record(session, ticket, "warned", from_status=ticket.status, from_level=ticket.level_rank,
                 reason=WARNING_LABELS.get((DeadlineKind(deadline.kind), warning)),
                 details={"warning": warning, "clock": clock, "deadlineId": str(deadline.id),
                          "dueAt": deadline.due_at.isoformat()}, actor=SYSTEM_ACTOR)  # fmt: skip
    await publish(session, TicketOverdue(
        tenant_id=require_tenant(), ticket_id=ticket.id, warning=warning, clock=clock, level=ticket.level_rank,
        unit_id=ticket.unit_id, provider_id=ticket.provider_id, due_at=deadline.due_at,
    ))  # fmt: skip


async def _effects(session: AsyncSession, ticket: Ticket, deadline: Deadline) -> None:
    kind = deadline.kind
    if kind == K.RESOLUTION:
        ticket.warning = "yellow"
        await _warn(session, ticket, deadline, "yellow", K.RESOLUTION)
        settings = await session.scalar(select(DispatchSettings))
        minutes = settings.red_after_minutes if settings is not None else DEFAULT_RED_AFTER_MINUTES
        timers.add(session, ticket, K.RED, deadline.due_at + timedelta(minutes=minutes), started_at=deadline.due_at)
    elif kind == K.RED:
        if deadline.level_rank != ticket.level_rank:
            return  # the case moved rung since: that rung's clocks count, not this one
        ticket.warning = "red"
        await _warn(session, ticket, deadline, "red", K.RESOLUTION)
        if await level_at(session, ticket.level_rank + 1) is not None:
            await escalate(session, ticket, ticket.level_rank + 1, AUTO_REASON, actor=SYSTEM_ACTOR, automatic=True)
    elif kind in (K.SIGN_FOR, K.ARRIVAL):
        await _warn(session, ticket, deadline, "yellow", kind)
    elif kind == K.REFERRAL:
        ticket.warning = "red"
        await _warn(session, ticket, deadline, "red", K.REFERRAL)


async def fire(session: AsyncSession, deadline_id: UUID, ticket_id: UUID) -> bool:
    """Fire one due deadline in the session's (district's) transaction; False when another run got it first
    or it no longer waits."""
    ticket = await session.scalar(
        select(Ticket).where(Ticket.id == ticket_id).with_for_update().execution_options(populate_existing=True)
    )
    deadline = await session.scalar(
        select(Deadline)
        .where(
            Deadline.id == deadline_id, Deadline.fired_at.is_(None), Deadline.cancelled_at.is_(None),
            Deadline.due_at <= func.now(),  # an approved extension may have moved it since it was found
        )
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )  # fmt: skip
    if ticket is None or deadline is None:
        return False
    deadline.fired_at = now()
    if ticket.status in OPEN_STATUSES:
        await _effects(session, ticket, deadline)
    return True


async def sweep_deadlines(settings: Settings) -> int:
    """One run of the sweep; returns how many deadlines it fired."""
    due = await due_across_districts(settings, SERVICE, (
        select(Deadline.tenant_id, Deadline.id, Deadline.ticket_id)
        .where(Deadline.fired_at.is_(None), Deadline.cancelled_at.is_(None), Deadline.due_at <= func.now())
        .order_by(Deadline.due_at)
        .limit(BATCH)
    ))  # fmt: skip

    async def fire_row(session: AsyncSession, ids: tuple[UUID, UUID]) -> int:
        return await fire(session, *ids)

    rows = [(row.tenant_id, (row.id, row.ticket_id)) for row in due]
    return await apply_each(settings, SERVICE, rows, fire_row, actor=SYSTEM_ACTOR)


JOBS: list[Job] = [Job(f"{SERVICE}.deadlines", SWEEP_INTERVAL_S, sweep_deadlines)]
