"""The warnings a clock gives when it runs out (督查问责), and what follows them.

By kind:
- resolution: yellow warning, and the red clock starts (``red_after_minutes`` after the due time);
- red: red warning, then automatic escalation one rung up while there is a higher rung;
- sign_for, arrival: yellow warning on that clock (no escalation);
- referral: red warning on the referral notice's deadline.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.clocks import timers
from services.dispatch.escalation.ladder import AUTO_REASON, SYSTEM_ACTOR, escalate, level_at
from services.dispatch.models import Deadline, DeadlineKind, DispatchSettings, Ticket
from services.dispatch.tickets.history import record
from shared.context import require_tenant
from shared.contracts.dispatch import TicketOverdue
from shared.messaging.outbox import publish

K = DeadlineKind

DEFAULT_RED_AFTER_MINUTES = 24 * 60
WARNING_LABELS = {
    (K.RESOLUTION, "yellow"): "办理时限已到,黄牌预警",
    (K.RESOLUTION, "red"): "黄牌后仍未办结,红牌预警",
    (K.SIGN_FOR, "yellow"): "签收超时,黄牌预警",
    (K.ARRIVAL, "yellow"): "到场超时,黄牌预警",
    (K.REFERRAL, "red"): "抄告单逾期未办结,红牌预警",
}


async def warn(session: AsyncSession, ticket: Ticket, deadline: Deadline, warning: str, clock: str) -> None:
    """The accountability record: a history row and a TicketOverdue event for training."""
    details = {"warning": warning, "clock": clock, "deadlineId": str(deadline.id), "dueAt": deadline.due_at.isoformat()}
    reason = WARNING_LABELS.get((DeadlineKind(deadline.kind), warning))
    await record(
        session,
        ticket,
        "warned",
        from_status=ticket.status,
        from_level=ticket.level_rank,
        reason=reason,
        details=details,
        actor=SYSTEM_ACTOR,
    )
    overdue = TicketOverdue(
        tenant_id=require_tenant(),
        ticket_id=ticket.id,
        warning=warning,
        clock=clock,
        level=ticket.level_rank,
        unit_id=ticket.unit_id,
        provider_id=ticket.provider_id,
        due_at=deadline.due_at,
    )
    await publish(session, overdue)


async def run_out(session: AsyncSession, ticket: Ticket, deadline: Deadline) -> None:
    """The effects of ``deadline`` running out on its open ``ticket``."""
    kind = deadline.kind
    if kind == K.RESOLUTION:
        ticket.warning = "yellow"
        await warn(session, ticket, deadline, "yellow", K.RESOLUTION)
        settings = await session.scalar(select(DispatchSettings))
        minutes = settings.red_after_minutes if settings is not None else DEFAULT_RED_AFTER_MINUTES
        timers.add(session, ticket, K.RED, deadline.due_at + timedelta(minutes=minutes), started_at=deadline.due_at)
    elif kind == K.RED:
        if deadline.level_rank != ticket.level_rank:
            return  # the case moved rung since: that rung's clocks count, not this one
        ticket.warning = "red"
        await warn(session, ticket, deadline, "red", K.RESOLUTION)
        if await level_at(session, ticket.level_rank + 1) is not None:
            await escalate(session, ticket, ticket.level_rank + 1, AUTO_REASON, actor=SYSTEM_ACTOR, automatic=True)
    elif kind in (K.SIGN_FOR, K.ARRIVAL):
        await warn(session, ticket, deadline, "yellow", kind)
    elif kind == K.REFERRAL:
        ticket.warning = "red"
        await warn(session, ticket, deadline, "red", K.REFERRAL)
