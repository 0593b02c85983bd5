"""The warnings a clock gives when it runs out (督查问责), and what follows them.

By kind:
- resolution: yellow warning, and the red clock starts (``red_after_minutes`` after the due time);
- red: red warning, then automatic escalation one rung up while there is a higher rung;
- sign_for, arrival: yellow warning on that clock (no escalation);
- referral: red warning on the referral notice's deadline.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.clocks import timers
from services.dispatch.clocks.calendar import district_zone
from services.dispatch.escalation.ladder import AUTO_REASON, SYSTEM_ACTOR, escalate, level_at
from services.dispatch.models import Deadline, DeadlineKind, DirectoryGrid, DispatchSettings, Provider, Ticket
from services.dispatch.returns.models import ARBITRATION
from services.dispatch.returns.overdue import ruling_overdue
from services.dispatch.tickets.history import record
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.dispatch import TicketOverdue
from shared.messaging.outbox import publish

K = DeadlineKind

DEFAULT_RED_AFTER_MINUTES = 24 * 60
CLOCK_NAMES = {K.RESOLUTION: "办理时限", K.SIGN_FOR: "签收时限", K.ARRIVAL: "到场时限", K.REFERRAL: "抄告单办结期限"}
WARNING_ENDINGS = {
    (K.RESOLUTION, "yellow"): "黄牌预警",
    (K.RESOLUTION, "red"): "黄牌后仍未办结，红牌预警",
    (K.SIGN_FOR, "yellow"): "黄牌预警",
    (K.ARRIVAL, "yellow"): "黄牌预警",
    (K.REFERRAL, "red"): "红牌预警",
}
MARKS = {None: 0, "yellow": 1, "red": 2}


def span(minutes: int) -> str:
    """A duration as people read it: 1天2小时5分钟, 45分钟."""
    days, rest = divmod(max(minutes, 0), 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}天" if days else "", f"{hours}小时" if hours else "", f"{mins}分钟" if mins else ""]
    return "".join(parts) or "0分钟"


async def limit_text(session: AsyncSession, clock: Deadline) -> str:
    """The clock's limit as configured (working time in hours: a working day's length is the district's)."""
    minutes = clock.limit_minutes
    if minutes is None:  # a date-bound clock (a referral notice), or one from before limits were kept
        due = clock.due_at.astimezone(await district_zone(session))
        return f"截至{due:%Y-%m-%d %H:%M}"
    if clock.working_time:
        return f"工作时间{minutes // 60}小时" + (f"{minutes % 60}分钟" if minutes % 60 else "")
    return span(minutes)


async def overdue_clock(session: AsyncSession, deadline: Deadline) -> Deadline:
    """The clock a warning is about: a red deadline is the further period after the resolution clock of its rung,
    so the red warning names that resolution clock; any other deadline is its own clock."""
    if deadline.kind != K.RED:
        return deadline
    resolution = await session.scalar(
        select(Deadline)
        .where(
            Deadline.ticket_id == deadline.ticket_id,
            Deadline.kind == K.RESOLUTION,
            Deadline.level_rank == deadline.level_rank,
            Deadline.fired_at.is_not(None),
        )
        .order_by(Deadline.due_at.desc())
        .limit(1)
    )
    return resolution or deadline


async def warn(session: AsyncSession, ticket: Ticket, deadline: Deadline, warning: str, clock: str) -> None:
    """The accountability record: a history row that says why (which clock, its limit, how late) and a
    TicketOverdue event for training."""
    late_clock = await overdue_clock(session, deadline)
    late = int((now() - late_clock.due_at).total_seconds() // 60)
    name = CLOCK_NAMES.get(DeadlineKind(clock), clock)
    ending = WARNING_ENDINGS.get((DeadlineKind(clock), warning), "预警")
    reason = f"{name}（{await limit_text(session, late_clock)}）已超时{span(late)}，{ending}"
    details: dict[str, Any] = {
        "warning": warning,
        "clock": clock,
        "clockName": name,
        "deadlineId": str(deadline.id),
        "level": deadline.level_rank,
        "startedAt": late_clock.started_at.isoformat(),
        "dueAt": late_clock.due_at.isoformat(),
        "limitMinutes": late_clock.limit_minutes,
        "workingTime": late_clock.working_time,
        "lateMinutes": late,
    }
    if deadline.kind == K.RED:  # the further period the case had after its yellow warning
        details["redAfterMinutes"] = deadline.limit_minutes
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
        warned_at=now(),
        **await answerable(session, ticket),
    )
    await publish(session, overdue)


async def answerable(session: AsyncSession, ticket: Ticket) -> dict[str, Any]:
    """Who training files the warning against: the member behind a member volunteer's order, and the answerable
    unit's path and name (the grid, or the grid's ancestor: the grid path's prefix at that ancestor's depth)."""
    found: dict[str, Any] = {"member_id": None, "unit_path": None, "unit_name": None}
    if ticket.provider_id is not None:
        found["member_id"] = await session.scalar(select(Provider.member_id).where(Provider.id == ticket.provider_id))
    grid = await session.get(DirectoryGrid, ticket.grid_id) if ticket.grid_id and ticket.unit_id else None
    if grid is None:
        return found
    if grid.grid_id == ticket.unit_id:
        return found | {"unit_path": grid.path or None, "unit_name": grid.name or None}
    segments = grid.path.strip("/").split("/")
    complete = bool(grid.path) and len(grid.ancestors) == len(segments) - 1  # one ancestor per segment above
    for depth, unit in enumerate(grid.ancestors):
        if unit.get("id") == str(ticket.unit_id):
            path = "/" + "/".join(segments[: depth + 1]) + "/" if complete else None
            return found | {"unit_path": path, "unit_name": unit.get("name")}
    return found


def mark(ticket: Ticket, warning: str) -> None:
    """Raise the ticket's mark to ``warning``; a red mark is never lowered to yellow (nor cleared by escalation)."""
    if MARKS[warning] > MARKS.get(ticket.warning, 0):
        ticket.warning = warning


async def run_out(session: AsyncSession, ticket: Ticket, deadline: Deadline) -> None:
    """The effects of ``deadline`` running out on its open ``ticket``."""
    kind = deadline.kind
    if kind == K.RESOLUTION:
        mark(ticket, "yellow")
        await warn(session, ticket, deadline, "yellow", K.RESOLUTION)
        settings = await session.scalar(select(DispatchSettings))
        minutes = settings.red_after_minutes if settings is not None else DEFAULT_RED_AFTER_MINUTES
        red_at = deadline.due_at + timedelta(minutes=minutes)
        timers.add(
            session, ticket, K.RED, red_at, started_at=deadline.due_at, limit_minutes=minutes, working_time=False
        )
    elif kind == K.RED:
        if deadline.level_rank != ticket.level_rank:
            return  # the case moved rung since: that rung's clocks count, not this one
        mark(ticket, "red")
        await warn(session, ticket, deadline, "red", K.RESOLUTION)
        if await level_at(session, ticket.level_rank + 1) is not None:
            await escalate(session, ticket, ticket.level_rank + 1, AUTO_REASON, actor=SYSTEM_ACTOR, automatic=True)
    elif kind in (K.SIGN_FOR, K.ARRIVAL):
        await warn(session, ticket, deadline, "yellow", kind)
    elif kind == K.REFERRAL:
        mark(ticket, "red")
        await warn(session, ticket, deadline, "red", K.REFERRAL)
    elif kind == ARBITRATION:  # a return the unit above did not rule on in time (returns/overdue.py)
        await ruling_overdue(session, ticket, deadline)
