"""A ticket's history: one append-only row per thing that happened, and a live-stream nudge on commit."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.tickets.models import Ticket, TicketHistory
from shared.audit import current_actor
from shared.auth.principal import current_principal

# pg_notify payloads are delivered on commit, only if the transaction commits: the operators' live
# stream (server-sent events) never shows a change that rolled back.
STREAM_CHANNEL = "dispatch_ticket_changes"


def actor_name(default: str = "system:dispatch") -> str:
    actor = current_actor.get()
    if actor is not None:
        return actor.id
    principal = current_principal.get()
    return str(principal.user_id) if principal is not None else default


async def record(
    session: AsyncSession,
    ticket: Ticket,
    action: str,
    *,
    from_status: str | None = None,
    from_level: int | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    actor: str | None = None,
) -> TicketHistory:
    """Write who did ``action`` to ``ticket`` now, and why; tell the live stream once it commits."""
    entry = TicketHistory(
        ticket_id=ticket.id,
        action=action,
        actor=actor or actor_name(),
        from_status=from_status,
        to_status=ticket.status,
        from_level=from_level,
        to_level=ticket.level_rank,
        reason=reason,
        details=details or {},
    )
    session.add(entry)
    change = {
        "tenant": str(ticket.tenant_id),
        "ticket": str(ticket.id),
        "number": ticket.number,
        "action": action,
        "status": ticket.status,
        "level": ticket.level_rank,
        "grid": str(ticket.grid_id) if ticket.grid_id else None,
        "gridPath": ticket.grid_path,
        "warning": ticket.warning,
    }
    await session.execute(select(func.pg_notify(STREAM_CHANNEL, json.dumps(change))))
    return entry
