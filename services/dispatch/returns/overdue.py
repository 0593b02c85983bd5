"""A ruling clock that runs out (called by the deadline sweep, ``deadlines/overdue.py``): like other overdue work,
the matter climbs one rung. The ruling passes to the unit above the one that let the limit pass, with a fresh
clock; at the district's root it stays there, marked overdue. Either way the ticket's history says why."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.clocks.models import Deadline
from services.dispatch.escalation.ladder import SYSTEM_ACTOR
from services.dispatch.returns.clock import start_ruling_clock
from services.dispatch.returns.models import ReturnState, TicketReturn
from services.dispatch.returns.units import parent_of
from services.dispatch.tickets.history import record
from services.dispatch.tickets.models import Ticket
from shared.clock import now


async def ruling_overdue(session: AsyncSession, ticket: Ticket, deadline: Deadline) -> None:
    # Imported here: the deadline sweep imports this module, and its wording of limits lives there.
    from services.dispatch.deadlines.overdue import limit_text, span

    row = await session.scalar(
        select(TicketReturn)
        .where(TicketReturn.deadline_id == deadline.id, TicketReturn.state == ReturnState.PENDING)
        .with_for_update()
    )
    if row is None:
        return  # ruled in time, or superseded
    late = int((now() - deadline.due_at).total_seconds() // 60)
    lapsed = f"退单审定时限（{await limit_text(session, deadline)}）已超时{span(late)}，{row.ruling_unit_name}未作审定"
    details = {
        "returnId": str(row.id),
        "deadlineId": str(deadline.id),
        "dueAt": deadline.due_at.isoformat(),
        "limitMinutes": deadline.limit_minutes,
        "workingTime": deadline.working_time,
        "lateMinutes": late,
        "lapsedUnit": row.ruling_unit_name,
    }
    above = await parent_of(session, row.ruling_unit_id)
    if above is None:
        action, reason = "return_ruling_overdue", f"{lapsed}，已无上一级单位，仍待其审定"
    else:
        clock = await start_ruling_clock(session, ticket)
        await session.flush()
        row.ruling_unit_id, row.ruling_unit_name, row.ruling_unit_path = above.id, above.name, above.path
        row.deadline_id = clock.id
        row.escalations += 1
        action, reason = "return_ruling_escalated", f"{lapsed}，转由上一级{above.name}审定"
        details |= {"rulingUnit": above.name, "newDueAt": clock.due_at.isoformat()}
    await record(
        session,
        ticket,
        action,
        from_status=ticket.status,
        from_level=ticket.level_rank,
        reason=reason,
        details=details,
        actor=SYSTEM_ACTOR,
    )
