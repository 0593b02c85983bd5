"""Status changes of a ticket: the one place that checks the state model, records history and runs clocks.

State model (domain section 7.8, 96345 order and Yaoxi case merged):
new → routing → assigned → on_site → resolved → closed, with returns (退单) back to routing,
reopening from resolved or closed, cancellation and merging of open tickets.

The ladder's rule is held here too, so that no path can resolve around it: at a rung that issues referral
notices (street supervision, DSP-15) a case becomes resolved only with its notice issued and closed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.clocks import timers
from services.dispatch.models import LadderLevel, Offer, OfferStatus, ReferralNotice
from services.dispatch.stages.notices import notify_every_stage, stage_reached, supervision_begins
from services.dispatch.stages.steps import Step
from services.dispatch.tickets.history import record
from services.dispatch.tickets.models import Ticket, TicketStatus
from shared.clock import now
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


async def check_referral(session: AsyncSession, ticket: Ticket) -> None:
    """409 unless a case at a referral rung has its referral notice (抄告单), closed by the responsible unit."""
    level = await session.scalar(select(LadderLevel).where(LadderLevel.rank == ticket.level_rank))
    if level is None or not level.issues_referral:
        return
    notices = await session.scalars(
        select(ReferralNotice).where(ReferralNotice.ticket_id == ticket.id).order_by(ReferralNotice.issued_at)
    )
    issued = list(notices)
    if not issued:
        raise conflict(
            f"the case is at {level.name}, which hands it on by referral notice (抄告单): issue the notice and "
            "record the responsible unit's closure note before resolving the case"
        )
    for notice in issued:
        if notice.closed_at is None:
            raise conflict(
                f"referral notice {notice.number} has no closure note from {notice.responsible_unit} yet; "
                "record it before resolving the case"
            )


async def _withdraw_offers(session: AsyncSession, ticket: Ticket) -> None:
    """A cancelled or merged ticket asks nobody any more: its open offers close at once, not at their time-out."""
    await session.execute(
        update(Offer)
        .where(Offer.ticket_id == ticket.id, Offer.status == OfferStatus.OPEN)
        .values(status=OfferStatus.WITHDRAWN, answered_at=now())
        .execution_options(synchronize_session=False)
    )


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
    if to == S.RESOLVED:
        await check_referral(session, ticket)
    # DSP-17: the first signing-for starts supervision, a step the resident hears of where the district says so.
    supervised = (
        to == S.ASSIGNED
        and before in (S.NEW, S.ROUTING)
        and await notify_every_stage(session)
        and await supervision_begins(session, ticket)
    )
    ticket.status = to
    await timers.on_status(session, ticket, before)
    if to in (S.CANCELLED, S.MERGED):
        await _withdraw_offers(session, ticket)
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
    if supervised:
        await stage_reached(session, ticket, Step.SUPERVISE)
