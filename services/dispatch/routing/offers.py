"""The offer engine (DSP-04): putting a ticket to providers as offers, moving on after a decline or a time-out,
handing an order back, and standing a provider down.

Lock order, everywhere: the ticket row first (``SELECT ... FOR UPDATE``), then its offers. Every change to an
offer happens under its ticket's lock, so a claim is won exactly once and a decline, an expiry and an accept of
the same ticket take turns. The expiry sweep locks an offer first but takes the ticket only with SKIP LOCKED, so
it never waits on, or deadlocks with, a provider answering.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import Executable, Uuid, bindparam, func, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import (
    DispatchMode,
    DispatchSettings,
    Offer,
    OfferStatus,
    Provider,
    ServiceCategory,
    ServiceItem,
    Ticket,
)
from services.dispatch.notifications.queue import queue_notification
from services.dispatch.routing.candidates import (
    ROUTABLE,
    Exclude,
    S,
    candidates,
    need_for,
    need_of,
    offered_before,
    refused,
)
from services.dispatch.routing.ranking import Ranked
from services.dispatch.settings import district_rules, remember_rules
from services.dispatch.tickets.history import record
from services.dispatch.tickets.transitions import move
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.dispatch import TicketReleased
from shared.db.base import uuid7
from shared.messaging.outbox import publish

CLAIM_FANOUT = 20  # a claim order goes to this many of the best candidates at once
NO_CANDIDATE = "暂无可派的服务者,请人工派单"
HELD_BACK = "暂无可派的服务者（{held}名党员志愿者未完成岗前培训）,请人工派单"
SYSTEM_ACTOR = "system:dispatch-routing"


async def lock_ticket(session: AsyncSession, ticket_id: UUID, *, skip_locked: bool = False) -> Ticket | None:
    """The ticket row, locked and read afresh (another transaction may just have signed for it)."""
    query = select(Ticket).where(Ticket.id == ticket_id).with_for_update(skip_locked=skip_locked)
    ticket: Ticket | None = await session.scalar(query.execution_options(populate_existing=True))
    return ticket


async def offers_of(session: AsyncSession, ticket_id: UUID, *statuses: str) -> list[Offer]:
    query = select(Offer).where(Offer.ticket_id == ticket_id)
    if statuses:
        query = query.where(Offer.status.in_(statuses))
    rows = await session.scalars(query.order_by(Offer.rank, Offer.id).execution_options(populate_existing=True))
    return list(rows)


def answer_by(expires_at: datetime, window: timedelta, timezone: str) -> dict[str, Any]:
    """The offer SMS's time to answer: the clock time in the district's zone (with the date if it is not
    today there) and the minutes, rounded up."""
    zone = ZoneInfo(timezone)
    local = expires_at.astimezone(zone)
    clock = local.strftime("%H:%M")
    if local.date() != now().astimezone(zone).date():
        clock = f"{local.month}月{local.day}日{clock}"
    return {"answerBy": clock, "expiresInMinutes": math.ceil(window.total_seconds() / 60)}


@dataclass(frozen=True, slots=True)
class RoutingFacts:
    """What routing a new ticket needs to know besides the ticket, read with its lock in one statement."""

    category: ServiceCategory | None  # held: ``session.get`` finds it in the (weak) identity map while routing
    open_offers: bool  # someone is already being asked: a replay, or routing ran already
    earlier_offers: int  # offers of this ticket so far, so that the new ones are ranked after them
    skill: str | None  # the skill the ticket's item wants


def _lock_for_routing() -> Executable:
    """``lock_for_routing``'s statement, built once (``:ticket_id``)."""
    ticket_id = bindparam("ticket_id", type_=Uuid)
    offers = select(Offer.status).where(Offer.ticket_id == Ticket.id)
    return (
        select(
            Ticket,
            ServiceCategory,
            DispatchSettings,
            offers.where(Offer.status == OfferStatus.OPEN).exists(),
            select(func.count()).select_from(Offer).where(Offer.ticket_id == Ticket.id).scalar_subquery(),
            select(ServiceItem.skill).where(ServiceItem.id == Ticket.item_id).scalar_subquery(),
        )
        .outerjoin(ServiceCategory, ServiceCategory.id == Ticket.category_id)
        .outerjoin(DispatchSettings, true())  # the district's one row (RLS): its rules, read along
        .where(Ticket.id == ticket_id)
        .with_for_update(of=Ticket)
        .execution_options(populate_existing=True)
    )


_LOCK_FOR_ROUTING = _lock_for_routing()


async def lock_for_routing(session: AsyncSession, ticket_id: UUID) -> tuple[Ticket, RoutingFacts] | None:
    """The ticket row locked and read afresh, with its category (into the session, for ``session.get``), the
    district's rules (for ``district_rules``) and the facts routing asks of its offers and item: one round trip
    instead of six."""
    row = (await session.execute(_LOCK_FOR_ROUTING, {"ticket_id": ticket_id})).first()
    if row is None:
        return None
    ticket, category, rules, has_open, earlier, skill = row
    remember_rules(session, rules)
    facts = RoutingFacts(category=category, open_offers=bool(has_open), earlier_offers=int(earlier or 0), skill=skill)
    return ticket, facts


async def make_offers(
    session: AsyncSession,
    ticket: Ticket,
    picks: Sequence[Ranked],
    mode: str,
    *,
    actor: str,
    details: dict[str, Any] | None = None,
    earlier: int | None = None,
) -> list[Offer]:
    """Put ``ticket`` to the ``picks`` (best first), start its routing and tell everyone concerned. ``earlier``:
    the ticket's offers so far, when the caller read them with its lock. Nothing is flushed here: the offers,
    the ticket's change, its clock, its history and the messages go to the database together."""
    settings = await district_rules(session)
    at = now()
    first = ticket.dispatched_at is None
    if first:
        ticket.dispatched_at = at
    if earlier is None:
        earlier = await session.scalar(select(func.count()).select_from(Offer).where(Offer.ticket_id == ticket.id))
    category = await session.get(ServiceCategory, ticket.category_id) if ticket.category_id else None
    # The category's answer window; a ticket not yet classified falls back to the district's offer time-out.
    window = (
        timedelta(minutes=category.answer_window_minutes)
        if category is not None
        else timedelta(seconds=settings.offer_timeout_seconds)
    )
    expires_at = at + window
    offers = [
        Offer(
            id=uuid7(),  # known without a flush: the messages name their offer
            ticket_id=ticket.id,
            provider_id=pick.provider_id,
            mode=mode,
            rank=(earlier or 0) + i + 1,
            reasons=list(pick.reasons),
            status=OfferStatus.OPEN,
            offered_at=at,
            expires_at=expires_at,
        )
        for i, pick in enumerate(picks)
    ]
    session.add_all(offers)
    summary = [{"provider": str(o.provider_id), "rank": o.rank, "reasons": o.reasons} for o in offers]
    dispatched = {"mode": mode, "offers": summary, **(details or {})}
    await move(session, ticket, S.ROUTING, "dispatched", actor=actor, details=dispatched)
    # The providers' offers first, then (on the first routing) the caller's notice.
    answer = {"number": ticket.number, "title": ticket.title, **answer_by(expires_at, window, settings.timezone)}
    messages: list[tuple[str, str, UUID | None, UUID | None, dict[str, Any]]] = [
        ("offer_made", "provider", o.provider_id, o.id, answer) for o in offers
    ]
    if first and ticket.caller_phone_cipher is not None:
        messages.append(("ticket_routed", "resident", ticket.caller_user_id, None, {"number": ticket.number}))
    for template, kind, recipient_id, offer_id, params in messages:
        await queue_notification(
            session,
            template=template,
            recipient_kind=kind,
            recipient_id=recipient_id,
            channel="sms",
            ticket_id=ticket.id,
            offer_id=offer_id,
            params=params,
        )
    return offers


async def dispatch(
    session: AsyncSession,
    ticket: Ticket,
    *,
    exclude: Exclude | None,
    actor: str,
    reason: str | None = None,
    facts: RoutingFacts | None = None,
) -> list[Offer]:
    """Offer the locked ``ticket`` (new, or routing with no open offer) to its best candidates: one in assign
    mode, up to ``CLAIM_FANOUT`` in claim mode. Nobody left: the ticket waits in the operators' queue as new.
    ``facts``: what ``lock_for_routing`` read with the lock (else they are asked for here)."""
    if facts is not None:
        category = facts.category
    else:
        category = await session.get(ServiceCategory, ticket.category_id) if ticket.category_id else None
    mode = category.mode if category is not None else DispatchMode.ASSIGN
    limit = CLAIM_FANOUT if mode == DispatchMode.CLAIM else 1
    need = await need_of(session, ticket) if facts is None else need_for(ticket, facts.skill)
    rule = (await district_rules(session)).require_pre_service
    picks = await candidates(session, ticket, need, exclude=exclude, limit=limit, pre_service=rule)
    if not picks:
        # Nobody: say so, and how many member volunteers would have been asked but for pre-service training.
        held = await candidates(session, ticket, need, exclude=exclude, limit=CLAIM_FANOUT) if rule else []
        note = HELD_BACK.format(held=len(held)) if held else NO_CANDIDATE
        why = {"awaitingPreService": len(held)} if held else None
        if ticket.status == S.ROUTING:
            await move(session, ticket, S.NEW, "no_candidate", reason=note, actor=actor, details=why)
        else:
            await record(
                session, ticket, "no_candidate", from_status=ticket.status, reason=note, actor=actor, details=why
            )
        return []
    details = {"trigger": reason} if reason else None
    earlier = facts.earlier_offers if facts is not None else None
    return await make_offers(session, ticket, picks, mode, actor=actor, details=details, earlier=earlier)


async def route_ticket(
    session: AsyncSession, ticket_id: UUID, *, actor: str = SYSTEM_ACTOR
) -> tuple[Ticket | None, list[Offer]]:
    """Route a ticket that came in or was reclassified (``dispatch.TicketCreated``): only one with a category
    and a grid, new or routing without an open offer; anything else (a replay, a signed ticket) is left alone.
    Returns the locked ticket (None if there is none) with the offers made."""
    found = await lock_for_routing(session, ticket_id)
    if found is None:
        return None, []
    ticket, facts = found
    if ticket.category_id is None or ticket.grid_id is None or ticket.status not in ROUTABLE or facts.open_offers:
        return ticket, []
    return ticket, await dispatch(session, ticket, exclude=refused(ticket.id), actor=actor, facts=facts)


async def withdraw(session: AsyncSession, ticket_id: UUID, *, keep: UUID | None = None) -> int:
    """Close the ticket's open offers (another provider won, the operator re-routed, the provider left)."""
    query = update(Offer).where(Offer.ticket_id == ticket_id, Offer.status == OfferStatus.OPEN)
    if keep is not None:
        query = query.where(Offer.id != keep)
    result = await session.execute(
        query.values(status=OfferStatus.WITHDRAWN, answered_at=now()).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def advance(session: AsyncSession, ticket: Ticket, *, actor: str) -> list[Offer]:
    """After a decline or an expiry: if no offer is still open, the next best candidate not yet asked."""
    if ticket.status != S.ROUTING or await offers_of(session, ticket.id, OfferStatus.OPEN):
        return []
    return await dispatch(session, ticket, exclude=offered_before(ticket.id), actor=actor)


def _about(offer: Offer, **more: Any) -> dict[str, Any]:
    return {"offer": str(offer.id), "provider": str(offer.provider_id), **more}


async def close_offer(
    session: AsyncSession, ticket: Ticket, offer: Offer, status: str, *, actor: str, reason: str | None = None
) -> list[Offer]:
    """A provider declined ``offer`` or its time ran out: record it and move on to the next candidate."""
    offer.status = status
    offer.answered_at = now()
    offer.decline_reason = reason
    action = "declined" if status == OfferStatus.DECLINED else "offer_expired"
    details = _about(offer, rank=offer.rank)
    await record(session, ticket, action, from_status=ticket.status, reason=reason, actor=actor, details=details)
    return await advance(session, ticket, actor=actor)


async def hand_back(
    session: AsyncSession, ticket: Ticket, *, reason: str, actor: str, action: str = "returned"
) -> list[Offer]:
    """退单: the provider who signed for ``ticket`` gives it up; it is routed again without them."""
    provider_id = ticket.provider_id
    await session.execute(
        update(Offer)
        .where(Offer.ticket_id == ticket.id, Offer.provider_id == provider_id, Offer.status == OfferStatus.ACCEPTED)
        .values(status=OfferStatus.RETURNED)
        .execution_options(synchronize_session=False)
    )
    ticket.provider_id = None
    ticket.accepted_at = ticket.arrived_at = None
    if provider_id is not None:  # documents stops taking the provider's photos of this order
        user_id = await session.scalar(select(Provider.user_id).where(Provider.id == provider_id))
        released = TicketReleased(
            tenant_id=require_tenant(), ticket_id=ticket.id, provider_id=provider_id, provider_user_id=user_id
        )
        await publish(session, released)
    ticket.arrival_late = False
    details = {"provider": str(provider_id)}
    await move(session, ticket, S.ROUTING, action, reason=reason, actor=actor, details=details)
    return await dispatch(session, ticket, exclude=refused(ticket.id), actor=actor)


async def stand_down(session: AsyncSession, provider: Provider, *, reason: str, actor: str) -> None:
    """A provider can no longer serve (left the rolls, transferred, deactivated): its open offers are
    withdrawn and a ticket it signed for but has not reached goes back to routing (EVT-10)."""
    offered = select(Offer.ticket_id).where(Offer.provider_id == provider.id, Offer.status == OfferStatus.OPEN)
    signed = select(Ticket.id).where(Ticket.provider_id == provider.id, Ticket.status == S.ASSIGNED)
    ticket_ids = set(await session.scalars(offered)) | set(await session.scalars(signed))
    for ticket_id in sorted(ticket_ids):  # one lock order for every stand-down
        ticket = await lock_ticket(session, ticket_id)
        if ticket is None:
            continue
        if ticket.provider_id == provider.id and ticket.status == S.ASSIGNED:
            await hand_back(session, ticket, reason=reason, actor=actor, action="provider_left")
            continue
        mine = [o for o in await offers_of(session, ticket.id, OfferStatus.OPEN) if o.provider_id == provider.id]
        for offer in mine:
            offer.status, offer.answered_at = OfferStatus.WITHDRAWN, now()
            await record(
                session,
                ticket,
                "offer_withdrawn",
                from_status=ticket.status,
                reason=reason,
                actor=actor,
                details=_about(offer),
            )
        if mine:
            await advance(session, ticket, actor=actor)


async def expire_offer(session: AsyncSession, offer_id: UUID, *, actor: str) -> bool:
    """The offer sweep's unit of work (tenant already in scope): fire an offer's time-out exactly once.

    False when someone else has it (another sweep, a provider answering right now) or it is no longer due.
    """
    offer = await session.scalar(
        select(Offer)
        .where(Offer.id == offer_id)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    if offer is None or offer.status != OfferStatus.OPEN or offer.expires_at > now():
        return False
    ticket = await lock_ticket(session, offer.ticket_id, skip_locked=True)
    if ticket is None:
        return False
    await close_offer(session, ticket, offer, OfferStatus.EXPIRED, actor=actor)
    return True
