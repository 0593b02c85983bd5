"""Status changes of a ticket: the one place that checks the state model, records history and runs clocks.

State model (domain section 7.8, 96345 order and Yaoxi case merged):
new → routing → assigned → on_site → resolved → closed, with returns (退单) back to routing,
reopening from resolved or closed, cancellation and merging of open tickets.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.clocks import timers
from services.dispatch.tickets.history import record
from services.dispatch.tickets.models import Ticket, TicketStatus
from shared.http.problems import conflict

S = TicketStatus
ALLOWED: dict[str, tuple[str, ...]] = {
    S.NEW: (S.ROUTING, S.ASSIGNED, S.CANCELLED, S.MERGED),
    S.ROUTING: (S.ROUTING, S.ASSIGNED, S.NEW, S.CANCELLED, S.MERGED),
    S.ASSIGNED: (S.ON_SITE, S.RESOLVED, S.ROUTING, S.ASSIGNED, S.CANCELLED, S.MERGED),
    S.ON_SITE: (S.RESOLVED, S.ROUTING, S.ASSIGNED),
    S.RESOLVED: (S.CLOSED, S.ASSIGNED, S.ROUTING),  # closed, or reopened after dissatisfaction
    S.CLOSED: (S.ASSIGNED, S.ROUTING),  # reopened
    S.CANCELLED: (),
    S.MERGED: (),
}

LABELS: dict[str, str] = {
    S.NEW: "待分类",
    S.ROUTING: "派单中",
    S.ASSIGNED: "已签收",
    S.ON_SITE: "已到场",
    S.RESOLVED: "已办结待回访",
    S.CLOSED: "已关闭",
    S.CANCELLED: "已撤销",
    S.MERGED: "已并单",
}


async def move(
    session: AsyncSession,
    ticket: Ticket,
    to: str,
    action: str,
    *,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    actor: str | None = None,
) -> None:
    """Move ``ticket`` to status ``to`` (409 if the state model forbids it), keep its clocks in step and
    write the history row."""
    before = ticket.status
    if to not in ALLOWED[before]:
        raise conflict(f"a ticket that is {LABELS[before]} ({before}) cannot become {LABELS[to]} ({to})")
    ticket.status = to
    await timers.on_status(session, ticket, before)
    await record(
        session,
        ticket,
        action,
        from_status=before,
        from_level=ticket.level_rank,
        reason=reason,
        details=details,
        actor=actor,
    )
