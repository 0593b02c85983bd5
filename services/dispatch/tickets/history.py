"""A ticket's history: one append-only row per thing that happened (who, with their name as it was then, and
why), a live-stream nudge on commit, and how a row's actor is shown to whoever reads it.

Names are written at the time (people are renamed, providers leave): staff by the display name the gateway
put in their token, volunteers and teams by their provider row. System actors have no stored name; they are
shown by a Chinese label (``SYSTEM_LABELS``). Staff read every name; anyone else reads their own name and
the others masked (张**), so a resident following a request sees 「张*」 for the volunteer.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import PROVIDERS, STAFF
from services.dispatch.providers.models import Provider
from services.dispatch.tickets.models import Ticket, TicketHistory
from services.dispatch.tickets.schemas import HistoryView
from shared.audit import current_actor
from shared.auth.principal import Principal, current_principal
from shared.db.appends import notify
from shared.db.base import uuid7
from shared.http.views import view
from shared.privacy import mask_name

# pg_notify payloads are delivered on commit, only if the transaction commits: the operators' live
# stream (server-sent events) never shows a change that rolled back.
STREAM_CHANNEL = "dispatch_ticket_changes"


class ActorKind(StrEnum):
    STAFF = "staff"  # hotline operators, supervisors, administrators and cadres
    PROVIDER = "provider"  # a volunteer, team, studio or firm taking orders
    RESIDENT = "resident"  # the served person, with an account or through the public page
    SYSTEM = "system"  # routing, the scheduler's sweeps, orgtree's events


SYSTEM_LABELS = {
    "system:dispatch-routing": "系统（自动派单）",
    "system:dispatch-scheduler": "系统（时限监控）",
    "system:dispatch-directory": "系统（组织架构同步）",
    "system:demo": "系统（演示数据）",
}
SYSTEM_LABEL = "系统"
PUBLIC_RESIDENT_LABEL = "居民（网上自助）"


def actor_id(default: str = "system:dispatch") -> str:
    """Who acts in this unit of work: the bound actor, else the verified token's user, else ``default``."""
    actor = current_actor.get()
    if actor is not None:
        return actor.id
    principal = current_principal.get()
    return str(principal.user_id) if principal is not None else default


async def name_of(session: AsyncSession, principal: Principal) -> tuple[str | None, ActorKind]:
    """The name ``principal`` is shown by, and what kind of actor they are: a provider's account by its provider
    row (looked up once per transaction), everyone else by the token's display name."""
    if principal.has_role(*STAFF):
        return principal.name, ActorKind.STAFF
    if principal.has_role(*PROVIDERS):
        cache: dict[Any, str | None] = session.info.setdefault("dispatch.provider_names", {})
        if principal.user_id not in cache:
            cache[principal.user_id] = await session.scalar(
                select(Provider.name)
                .where(Provider.user_id == principal.user_id)
                .order_by(Provider.created_at)
                .limit(1)
            )
        return cache[principal.user_id] or principal.name, ActorKind.PROVIDER
    return principal.name, ActorKind.RESIDENT


async def describe(session: AsyncSession, actor: str) -> tuple[str | None, ActorKind | None]:
    """The name and kind to store beside ``actor`` (a user id, ``system:<process>`` or ``resident:<...>``)."""
    if actor.startswith("system:"):
        return None, ActorKind.SYSTEM
    if actor.startswith("resident:"):
        return None, ActorKind.RESIDENT
    principal = current_principal.get()
    if principal is None or str(principal.user_id) != actor:
        return None, None  # nobody we can name: the view falls back to the id
    return await name_of(session, principal)


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
    who = actor or actor_id()
    name, kind = await describe(session, who)
    entry = TicketHistory(
        id=uuid7(),  # now, not at flush: the live stream numbers its events by it (notifications/stream.py)
        ticket_id=ticket.id,
        action=action,
        actor=who,
        actor_name=name,
        actor_kind=kind,
        from_status=from_status,
        to_status=ticket.status,
        from_level=from_level,
        to_level=ticket.level_rank,
        reason=reason,
        details=details or {},
    )
    session.add(entry)
    change = {
        "id": str(entry.id),
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
    await notify(session, STREAM_CHANNEL, json.dumps(change))
    return entry


def kind_of(actor: str, stored: str | None) -> str | None:
    """The actor's kind; rows written before names were kept know only system and public-resident actors."""
    if stored is not None:
        return stored
    if actor.startswith("system:"):
        return ActorKind.SYSTEM
    return ActorKind.RESIDENT if actor.startswith("resident:") else None


def shown_name(name: str | None, actor: str | None, viewer: Principal | None) -> str | None:
    """A person's name as ``viewer`` may read it: staff and the person themselves in full, others masked."""
    if name is None:
        return None
    if viewer is not None and (viewer.has_role(*STAFF) or (actor is not None and str(viewer.user_id) == actor)):
        return name
    return mask_name(name)


def actor_label(actor: str, name: str | None, viewer: Principal | None) -> str | None:
    """What the console prints for ``actor``: a system process's label, or the person's name as ``viewer`` may
    read it (None when the row predates names and the actor is a person)."""
    if actor.startswith("system:"):
        return SYSTEM_LABELS.get(actor, SYSTEM_LABEL)
    if actor.startswith("resident:"):
        return PUBLIC_RESIDENT_LABEL
    return shown_name(name, actor, viewer)


def history_view(row: TicketHistory, viewer: Principal | None) -> HistoryView:
    return view(
        HistoryView,
        row,
        actor_name=actor_label(row.actor, row.actor_name, viewer),
        actor_kind=kind_of(row.actor, row.actor_kind),
    )
