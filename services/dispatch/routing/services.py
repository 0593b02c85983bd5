"""Routing (DSP-04, DSP-05): putting a ticket to providers as offers, signing for it, arriving, handing it back.

Lock order, everywhere: the ticket row first (``SELECT ... FOR UPDATE``), then its offers. Every change to an
offer happens under its ticket's lock, so a claim is won exactly once and a decline, an expiry and an accept of
the same ticket take turns. The expiry sweep locks an offer first but takes the ticket only with SKIP LOCKED, so
it never waits on, or deadlocks with, a provider answering.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Float, cast, false, func, literal, null, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from services.dispatch.access import is_operator
from services.dispatch.catalogue.services import district_settings
from services.dispatch.models import (
    DirectoryGrid,
    DirectoryLink,
    DispatchMode,
    Offer,
    OfferStatus,
    Provider,
    ProviderKind,
    ServiceCategory,
    ServiceItem,
    Ticket,
    TicketStatus,
)
from services.dispatch.notifications.queue import queue_notification
from services.dispatch.routing.ranking import EARTH_RADIUS_KM, CandidateFacts, Need, Ranked, rank
from services.dispatch.routing.schemas import ProviderCreate, ProviderSelfUpdate, ProviderUpdate
from services.dispatch.tickets.history import record
from services.dispatch.tickets.intake import changed_values, check_phone
from services.dispatch.tickets.transitions import move
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.dispatch import TicketAssigned
from shared.http.problems import FieldErrors, conflict, invalid, missing
from shared.messaging.outbox import publish
from shared.privacy import data_key, encrypt, mask_phone, normalize_phone

S = TicketStatus
CLAIM_FANOUT = 20  # a claim order goes to this many of the best candidates at once
NO_CANDIDATE = "暂无可派的服务者,请人工派单"
ROUTABLE = (S.NEW, S.ROUTING)
SIGNED = (S.ASSIGNED, S.ON_SITE)
SYSTEM_ACTOR = "system:dispatch-routing"
PHONE_FIELD = "provider.phone"  # the field name the SMS channel decrypts a provider's phone under


# --- reading -----------------------------------------------------------------------------------------


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


async def need_of(session: AsyncSession, ticket: Ticket) -> Need:
    skill = None
    if ticket.item_id is not None:
        skill = await session.scalar(select(ServiceItem.skill).where(ServiceItem.id == ticket.item_id))
    return Need(grid_id=ticket.grid_id, latitude=ticket.latitude, longitude=ticket.longitude, skill=skill)


def _distance(need: Need) -> ColumnElement[Any]:
    """Haversine in SQL (km), so the candidate pool is cut to the nearest before it leaves the database."""
    if need.latitude is None or need.longitude is None:
        return cast(null(), Float)
    lat, lon = literal(need.latitude, Float), literal(need.longitude, Float)
    half_dlat = (func.radians(Provider.latitude) - func.radians(lat)) / 2
    half_dlon = (func.radians(Provider.longitude) - func.radians(lon)) / 2
    h = func.power(func.sin(half_dlat), 2) + func.cos(func.radians(lat)) * func.cos(
        func.radians(Provider.latitude)
    ) * func.power(func.sin(half_dlon), 2)
    return 2 * EARTH_RADIUS_KM * func.asin(func.least(1.0, func.sqrt(h)))


async def candidates(
    session: AsyncSession, ticket: Ticket, need: Need, *, exclude: ColumnElement[bool] | None, limit: int
) -> list[Ranked]:
    """The best ``limit`` active providers for ``ticket``: one query for every candidate's facts.

    The query orders by the same priorities as ``ranking.sort_key`` only to bound the pool it returns; the
    final order and the reasons come from ``ranking.rank``.
    """
    serves: ColumnElement[bool] = false()
    if ticket.household_id is not None:
        serves = (
            select(DirectoryLink.member_id)
            .where(DirectoryLink.household_id == ticket.household_id, DirectoryLink.member_id == Provider.member_id)
            .exists()
        )
    leads: ColumnElement[bool] = false()
    grid: ColumnElement[bool] = false()
    if ticket.grid_id is not None:
        leader = select(DirectoryGrid.leader_member_id).where(DirectoryGrid.grid_id == ticket.grid_id)
        leads = func.coalesce(Provider.member_id == leader.scalar_subquery(), false())
        grid = func.coalesce(Provider.grid_id == ticket.grid_id, false())
    skill: ColumnElement[bool] = Provider.skills.contains([need.skill]) if need.skill else false()
    load = (
        select(Ticket.provider_id, func.count().label("n"))
        .where(Ticket.status.in_(SIGNED), Ticket.provider_id.is_not(None))
        .group_by(Ticket.provider_id)
        .subquery()
    )
    distance = _distance(need)
    open_orders = func.coalesce(load.c.n, 0)
    # PostgreSQL refuses a constant in ORDER BY ("non-integer constant"): a rule that cannot tell candidates apart
    # for this ticket (no household, no grid, no place, no skill wanted) is left out of the order.
    ranks: list[ColumnElement[Any]] = []
    if ticket.household_id is not None:
        ranks.append(serves.desc())
    if ticket.grid_id is not None:
        ranks.append(or_(leads, grid).desc())
    if need.latitude is not None and need.longitude is not None:
        ranks += [distance.is_(None), func.round(distance * 10)]
    if need.skill:
        ranks.append(skill.desc())
    query = (
        select(Provider.id, Provider.grid_id, Provider.skills, Provider.on_duty, Provider.latitude, Provider.longitude,
               open_orders, serves, leads)
        .outerjoin(load, load.c.provider_id == Provider.id)
        # No account to answer in the app and no phone for the SMS: an offer would only wait for its time-out.
        .where(Provider.active.is_(true()), or_(Provider.user_id.is_not(None), Provider.phone_cipher.is_not(None)))
        .order_by(*ranks, Provider.on_duty.desc(), open_orders, Provider.id)
        .limit(max(limit * 5, 50))
    )  # fmt: skip
    if exclude is not None:
        query = query.where(~exclude)
    facts = [
        CandidateFacts(provider_id=row[0], grid_id=row[1], skills=tuple(row[2] or ()), on_duty=row[3],
                       latitude=row[4], longitude=row[5], load=int(row[6]), serves_household=bool(row[7]),
                       leads_grid=bool(row[8]))
        for row in await session.execute(query)
    ]  # fmt: skip
    return rank(need, facts, limit)


def offered_before(ticket_id: UUID, *statuses: str) -> ColumnElement[bool]:
    """``Provider`` had an offer of this ticket (in one of ``statuses``, any when empty)."""
    query = select(Offer.provider_id).where(Offer.ticket_id == ticket_id)
    if statuses:
        query = query.where(Offer.status.in_(statuses))
    return Provider.id.in_(query)


def refused(ticket_id: UUID) -> ColumnElement[bool]:
    """Who declined or handed back this ticket: a fresh round of routing does not ask them again."""
    return offered_before(ticket_id, OfferStatus.DECLINED, OfferStatus.RETURNED)


# --- offering ----------------------------------------------------------------------------------------


async def _offer(
    session: AsyncSession, ticket: Ticket, picks: Sequence[Ranked], mode: str, *, actor: str,
    details: dict[str, Any] | None = None,
) -> list[Offer]:  # fmt: skip
    """Put ``ticket`` to the ``picks`` (best first), start its routing and tell everyone concerned."""
    settings = await district_settings(session)
    at = now()
    first = ticket.dispatched_at is None
    if first:
        ticket.dispatched_at = at
    earlier = await session.scalar(select(func.count()).select_from(Offer).where(Offer.ticket_id == ticket.id)) or 0
    offers = [
        Offer(ticket_id=ticket.id, provider_id=pick.provider_id, mode=mode, rank=earlier + i + 1,
              reasons=list(pick.reasons), status=OfferStatus.OPEN, offered_at=at,
              expires_at=at + timedelta(seconds=settings.offer_timeout_seconds))
        for i, pick in enumerate(picks)
    ]  # fmt: skip
    session.add_all(offers)
    await session.flush()
    summary = [{"provider": str(o.provider_id), "rank": o.rank, "reasons": o.reasons} for o in offers]
    await move(session, ticket, S.ROUTING, "dispatched", actor=actor,
               details={"mode": mode, "offers": summary, **(details or {})})  # fmt: skip
    for offer in offers:
        await queue_notification(
            session, template="offer_made", recipient_kind="provider", recipient_id=offer.provider_id,
            channel="sms", ticket_id=ticket.id, offer_id=offer.id,
            params={"number": ticket.number, "title": ticket.title},
        )  # fmt: skip
    if first and ticket.caller_phone_cipher is not None:
        await queue_notification(
            session, template="ticket_routed", recipient_kind="resident", recipient_id=ticket.caller_user_id,
            channel="sms", ticket_id=ticket.id, params={"number": ticket.number},
        )  # fmt: skip
    return offers


async def dispatch(
    session: AsyncSession, ticket: Ticket, *, exclude: ColumnElement[bool] | None, actor: str,
    reason: str | None = None,
) -> list[Offer]:  # fmt: skip
    """Offer the locked ``ticket`` (new, or routing with no open offer) to its best candidates: one in assign
    mode, up to ``CLAIM_FANOUT`` in claim mode. Nobody left: the ticket waits in the operators' queue as new."""
    category = await session.get(ServiceCategory, ticket.category_id) if ticket.category_id else None
    mode = category.mode if category is not None else DispatchMode.ASSIGN
    limit = CLAIM_FANOUT if mode == DispatchMode.CLAIM else 1
    picks = await candidates(session, ticket, await need_of(session, ticket), exclude=exclude, limit=limit)
    if not picks:
        if ticket.status == S.ROUTING:
            await move(session, ticket, S.NEW, "no_candidate", reason=NO_CANDIDATE, actor=actor)
        else:
            await record(session, ticket, "no_candidate", from_status=ticket.status, reason=NO_CANDIDATE, actor=actor)
        return []
    return await _offer(session, ticket, picks, mode, actor=actor, details={"trigger": reason} if reason else None)


async def route_ticket(session: AsyncSession, ticket_id: UUID, *, actor: str = SYSTEM_ACTOR) -> list[Offer]:
    """Route a ticket that came in or was reclassified (``dispatch.TicketCreated``): only one with a category
    and a grid, new or routing without an open offer; anything else (a replay, a signed ticket) is left alone."""
    ticket = await lock_ticket(session, ticket_id)
    if ticket is None or ticket.category_id is None or ticket.grid_id is None or ticket.status not in ROUTABLE:
        return []
    if await offers_of(session, ticket.id, OfferStatus.OPEN):
        return []
    return await dispatch(session, ticket, exclude=refused(ticket.id), actor=actor)


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


async def close_offer(
    session: AsyncSession, ticket: Ticket, offer: Offer, status: str, *, actor: str, reason: str | None = None
) -> list[Offer]:
    """A provider declined ``offer`` or its time ran out: record it and move on to the next candidate."""
    offer.status = status
    offer.answered_at = now()
    offer.decline_reason = reason
    action = "declined" if status == OfferStatus.DECLINED else "offer_expired"
    await record(session, ticket, action, from_status=ticket.status, reason=reason, actor=actor,
                 details={"offer": str(offer.id), "provider": str(offer.provider_id), "rank": offer.rank})  # fmt: skip
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
    ticket.arrival_late = False
    await move(session, ticket, S.ROUTING, action, reason=reason, actor=actor,
               details={"provider": str(provider_id)})  # fmt: skip
    return await dispatch(session, ticket, exclude=refused(ticket.id), actor=actor)


async def stand_down(session: AsyncSession, provider: Provider, *, reason: str, actor: str) -> None:
    """A provider can no longer serve (left the rolls, transferred, deactivated): its open offers are
    withdrawn and a ticket it signed for but has not reached goes back to routing (EVT-10)."""
    ticket_ids = set(await session.scalars(
        select(Offer.ticket_id).where(Offer.provider_id == provider.id, Offer.status == OfferStatus.OPEN)
    ))  # fmt: skip
    signed = set(await session.scalars(
        select(Ticket.id).where(Ticket.provider_id == provider.id, Ticket.status == S.ASSIGNED)
    ))  # fmt: skip
    for ticket_id in sorted(ticket_ids | signed):  # one lock order for every stand-down
        ticket = await lock_ticket(session, ticket_id)
        if ticket is None:
            continue
        if ticket.provider_id == provider.id and ticket.status == S.ASSIGNED:
            await hand_back(session, ticket, reason=reason, actor=actor, action="provider_left")
            continue
        mine = [o for o in await offers_of(session, ticket.id, OfferStatus.OPEN) if o.provider_id == provider.id]
        for offer in mine:
            offer.status, offer.answered_at = OfferStatus.WITHDRAWN, now()
            await record(session, ticket, "offer_withdrawn", from_status=ticket.status, reason=reason, actor=actor,
                         details={"offer": str(offer.id), "provider": str(provider.id)})  # fmt: skip
        if mine:
            await advance(session, ticket, actor=actor)


async def expire_offer(session: AsyncSession, offer_id: UUID, *, actor: str) -> bool:
    """The offer sweep's unit of work (tenant already in scope): fire an offer's time-out exactly once.

    False when someone else has it (another sweep, a provider answering right now) or it is no longer due.
    """
    offer = await session.scalar(
        select(Offer).where(Offer.id == offer_id).with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )  # fmt: skip
    if offer is None or offer.status != OfferStatus.OPEN or offer.expires_at > now():
        return False
    ticket = await lock_ticket(session, offer.ticket_id, skip_locked=True)
    if ticket is None:
        return False
    await close_offer(session, ticket, offer, OfferStatus.EXPIRED, actor=actor)
    return True


# --- the API's side ------------------------------------------------------------------------------------


def my_providers(principal: Principal) -> Any:
    return select(Provider.id).where(Provider.user_id == principal.user_id)


class RoutingService:
    """Operators dispatch; providers answer offers, arrive and hand orders back."""

    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.actor = str(principal.user_id)

    # operators

    async def _routable(self, ticket_id: UUID) -> Ticket:
        ticket = await lock_ticket(self.session, ticket_id)
        if ticket is None:
            raise missing("ticket")
        if ticket.status not in ROUTABLE:
            raise conflict(f"only a ticket nobody has signed for can be dispatched (this one is {ticket.status})")
        return ticket

    async def reroute(self, ticket_id: UUID) -> tuple[Ticket, list[Offer]]:
        """Run routing again now: open offers are withdrawn, those who declined are not asked again."""
        ticket = await self._routable(ticket_id)
        withdrawn = await withdraw(self.session, ticket.id)
        if withdrawn:
            await record(self.session, ticket, "offers_withdrawn", from_status=ticket.status,
                         details={"count": withdrawn})  # fmt: skip
        offers = await dispatch(self.session, ticket, exclude=refused(ticket.id), actor=self.actor,
                                reason="operator")  # fmt: skip
        await audit.record(self.session, "dispatch.ticket.rerouted", subject_type="ticket", subject_id=str(ticket.id),
                           detail={"offers": len(offers)})  # fmt: skip
        return ticket, offers

    async def assign(self, ticket_id: UUID, provider_id: UUID) -> tuple[Ticket, list[Offer]]:
        """Manual dispatch: an assign-mode offer to the provider the operator chose."""
        ticket = await self._routable(ticket_id)
        provider = await self.session.get(Provider, provider_id)
        if provider is None or not provider.active:
            raise invalid("providerId", "not an active provider of this district")
        await withdraw(self.session, ticket.id)
        pick = Ranked(provider.id, ("manual",), None)
        offers = await _offer(self.session, ticket, [pick], DispatchMode.ASSIGN, actor=self.actor,
                              details={"trigger": "manual"})  # fmt: skip
        await audit.record(self.session, "dispatch.ticket.assigned_manually", subject_type="ticket",
                           subject_id=str(ticket.id), detail={"provider": str(provider.id)})  # fmt: skip
        return ticket, offers

    async def ticket_offers(self, ticket_id: UUID) -> list[tuple[Offer, Ticket]]:
        ticket = await self.session.get(Ticket, ticket_id)
        if ticket is None:
            raise missing("ticket")
        return [(offer, ticket) for offer in await offers_of(self.session, ticket.id)]

    # providers

    async def open_offers(self) -> list[tuple[Offer, Ticket]]:
        rows = await self.session.execute(
            select(Offer, Ticket).join(Ticket, Ticket.id == Offer.ticket_id)
            .where(Offer.provider_id.in_(my_providers(self.principal)), Offer.status == OfferStatus.OPEN)
            .order_by(Offer.expires_at, Offer.id)
        )  # fmt: skip
        return [(offer, ticket) for offer, ticket in rows.all()]

    async def _answerable(self, offer_id: UUID) -> tuple[Offer, Ticket]:
        """The caller's offer with its ticket locked; 404 for anyone else's (or another district's)."""
        ticket_id = await self.session.scalar(
            select(Offer.ticket_id).where(Offer.id == offer_id, Offer.provider_id.in_(my_providers(self.principal)))
        )
        ticket = await lock_ticket(self.session, ticket_id) if ticket_id is not None else None
        offer = await self.session.get(Offer, offer_id, populate_existing=True) if ticket is not None else None
        if ticket is None or offer is None:
            raise missing("offer")
        return offer, ticket

    async def accept(self, offer_id: UUID) -> tuple[Offer, Ticket]:
        """Sign for the order. In claim mode the first acceptance wins; every later one is a 409."""
        offer, ticket = await self._answerable(offer_id)
        if ticket.provider_id is not None and ticket.provider_id != offer.provider_id:
            raise conflict("already taken: another provider signed for this ticket")
        if offer.status != OfferStatus.OPEN:
            raise conflict(f"this offer is no longer open ({offer.status})")
        if offer.expires_at <= now():
            raise conflict("this offer has expired")
        if ticket.status not in ROUTABLE:
            raise conflict(f"the ticket is no longer waiting for a provider ({ticket.status})")
        at = now()
        offer.status, offer.answered_at = OfferStatus.ACCEPTED, at
        ticket.provider_id, ticket.accepted_at = offer.provider_id, at
        await withdraw(self.session, ticket.id, keep=offer.id)
        answer = {"offer": str(offer.id), "provider": str(offer.provider_id), "mode": offer.mode}
        await move(self.session, ticket, S.ASSIGNED, "accepted", actor=self.actor, details=answer)
        member_id = await self.session.scalar(select(Provider.member_id).where(Provider.id == offer.provider_id))
        await publish(self.session, TicketAssigned(tenant_id=require_tenant(), ticket_id=ticket.id,
                                                   provider_id=offer.provider_id, member_id=member_id,
                                                   mode=offer.mode))  # fmt: skip
        await audit.record(self.session, "dispatch.offer.accepted", subject_type="offer", subject_id=str(offer.id))
        return offer, ticket

    async def decline(self, offer_id: UUID, reason: str) -> tuple[Offer, Ticket]:
        offer, ticket = await self._answerable(offer_id)
        if offer.status != OfferStatus.OPEN:
            raise conflict(f"this offer is no longer open ({offer.status})")
        await close_offer(self.session, ticket, offer, OfferStatus.DECLINED, actor=self.actor, reason=reason.strip())
        await audit.record(self.session, "dispatch.offer.declined", subject_type="offer", subject_id=str(offer.id))
        return offer, ticket

    async def _signed(self, ticket_id: UUID, *, operator_too: bool) -> Ticket:
        """A ticket the caller signed for (or, for operators, any ticket of the district), locked."""
        query = select(Ticket.id).where(Ticket.id == ticket_id)
        if not (operator_too and is_operator(self.principal)):
            query = query.where(Ticket.provider_id.in_(my_providers(self.principal)))
        found = await self.session.scalar(query)
        ticket = await lock_ticket(self.session, found) if found is not None else None
        if ticket is None:
            raise missing("ticket")
        return ticket

    async def arrive(self, ticket_id: UUID) -> Ticket:
        """DSP-05: the provider is at the door; later than the district's pledge after dispatch is flagged."""
        ticket = await self._signed(ticket_id, operator_too=False)
        if ticket.status != S.ASSIGNED:
            raise conflict(f"arrival is recorded once, on a signed-for ticket (this one is {ticket.status})")
        settings = await district_settings(self.session)
        ticket.arrived_at = now()
        dispatched = ticket.dispatched_at or ticket.accepted_at or ticket.arrived_at
        ticket.arrival_late = ticket.arrived_at - dispatched > timedelta(minutes=settings.arrival_limit_minutes)
        await move(self.session, ticket, S.ON_SITE, "arrived", actor=self.actor,
                   details={"late": ticket.arrival_late, "limitMinutes": settings.arrival_limit_minutes})  # fmt: skip
        await audit.record(self.session, "dispatch.ticket.arrived", subject_type="ticket", subject_id=str(ticket.id),
                           detail={"late": ticket.arrival_late})  # fmt: skip
        return ticket

    async def give_back(self, ticket_id: UUID, reason: str) -> tuple[Ticket, list[Offer]]:
        ticket = await self._signed(ticket_id, operator_too=True)
        if ticket.status not in SIGNED or ticket.provider_id is None:
            raise conflict(f"only an order signed for and not yet resolved can be handed back ({ticket.status})")
        offers = await hand_back(self.session, ticket, reason=reason.strip(), actor=self.actor)
        await audit.record(self.session, "dispatch.ticket.returned", subject_type="ticket", subject_id=str(ticket.id))
        return ticket, offers


# --- the provider registry (DSP-12) ----------------------------------------------------------------------

REGISTERED_KINDS = (ProviderKind.PROFESSIONAL_TEAM, ProviderKind.EXPERT_STUDIO, ProviderKind.FRANCHISE_FIRM,
                    ProviderKind.SKILLED_RESIDENT)  # fmt: skip
FEE_MODES = ("low_fee", "free")
ORGTREE_FIELDS = {"grid_id": "gridId", "user_id": "userId", "name": "name"}  # member volunteers follow orgtree


class ProviderService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.actor = str(principal.user_id)

    async def get(self, provider_id: UUID) -> Provider:
        provider = await self.session.get(Provider, provider_id)
        if provider is None:
            raise missing("provider")
        return provider

    async def page(self, *, kind: str | None, grid_id: UUID | None, active: bool | None, after: UUID | None,
                   limit: int) -> tuple[list[Provider], str | None]:  # fmt: skip
        """Keyset-paged on the (time-ordered) id."""
        query = select(Provider)
        if kind is not None:
            query = query.where(Provider.kind == kind)
        if grid_id is not None:
            query = query.where(Provider.grid_id == grid_id)
        if active is not None:
            query = query.where(Provider.active.is_(active))
        if after is not None:
            query = query.where(Provider.id > after)
        rows = list(await self.session.scalars(query.order_by(Provider.id).limit(limit + 1)))
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, str(rows[-1].id) if more and rows else None

    async def _check(self, errors: FieldErrors, values: dict[str, Any], provider: Provider | None) -> None:
        """Rules over the provider as it would be after the change."""
        merged = {
            "kind": provider.kind if provider else None, "fee_mode": provider.fee_mode if provider else None,
            "latitude": provider.latitude if provider else None, "longitude": provider.longitude if provider else None,
            **values,
        }  # fmt: skip
        # Only rules the change touches: an older row that breaks one must not block an unrelated update.
        if "fee_mode" in values and merged["kind"] == ProviderKind.FRANCHISE_FIRM:
            if merged["fee_mode"] not in FEE_MODES:
                errors.add("feeMode", f"a franchise firm serves at one of: {', '.join(FEE_MODES)}")
        elif "fee_mode" in values and merged["fee_mode"] is not None:
            errors.add("feeMode", "only franchise firms have a fee mode")
        located = "latitude" in values or "longitude" in values
        if located and (merged["latitude"] is None) != (merged["longitude"] is None):
            errors.add("longitude" if merged["longitude"] is None else "latitude",
                       "give latitude and longitude together")  # fmt: skip
        check_phone(errors, "phone", values.get("phone"))
        grid_id = values.get("grid_id")
        if grid_id is not None and await self.session.get(DirectoryGrid, grid_id) is None:
            errors.add("gridId", "not a grid of this district")
        if provider is not None and provider.kind == ProviderKind.MEMBER_VOLUNTEER:
            for key in sorted(set(values) & set(ORGTREE_FIELDS)):
                errors.add(ORGTREE_FIELDS[key], "a member volunteer's grid, account and name follow orgtree")

    async def _protect_phone(self, provider: Provider, phone: str | None) -> None:
        if phone is None:
            provider.phone_cipher = provider.phone_masked = None
            return
        keys = await data_key(self.session, require_tenant())
        provider.phone_cipher = encrypt(keys, PHONE_FIELD, normalize_phone(phone))
        provider.phone_masked = mask_phone(phone)

    async def create(self, data: ProviderCreate) -> Provider:
        errors = FieldErrors()
        if data.kind == ProviderKind.MEMBER_VOLUNTEER:
            errors.add("kind", "member volunteers come from orgtree's members; register the member there")
        else:
            errors.choice("kind", data.kind, REGISTERED_KINDS)
        values = changed_values(data)
        await self._check(errors, values, None)
        errors.raise_if_any("the provider has invalid fields")
        provider = Provider(
            kind=data.kind, name=data.name.strip(), skills=sorted(set(data.skills)), grid_id=data.grid_id,
            latitude=data.latitude, longitude=data.longitude, card_number=data.card_number, insured=data.insured,
            fee_mode=data.fee_mode, user_id=data.user_id, on_duty=data.on_duty, active=True,
        )  # fmt: skip
        await self._protect_phone(provider, data.phone)
        self.session.add(provider)
        await self.session.flush()
        await audit.record(self.session, "dispatch.provider.registered", subject_type="provider",
                           subject_id=str(provider.id), detail={"kind": provider.kind})  # fmt: skip
        return provider

    async def _apply(self, provider: Provider, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if key == "phone":
                await self._protect_phone(provider, value)
            elif key == "skills":
                provider.skills = sorted(set(value))
            elif key == "name":
                provider.name = value.strip()
            elif key != "active":
                setattr(provider, key, value)
        if values.get("active") is False and provider.active:
            provider.active = False
            await self.session.flush()
            await stand_down(self.session, provider, reason="服务者已停用", actor=self.actor)
        elif values.get("active") is True:
            provider.active = True
        await self.session.flush()
        await audit.record(self.session, "dispatch.provider.updated", subject_type="provider",
                           subject_id=str(provider.id), detail={"fields": sorted(values)})  # fmt: skip

    async def update(self, provider_id: UUID, data: ProviderUpdate) -> Provider:
        provider = await self.get(provider_id)
        values = changed_values(data)
        errors = FieldErrors()
        await self._check(errors, values, provider)
        errors.raise_if_any("the provider has invalid fields")
        await self._apply(provider, values)
        return provider

    async def mine(self) -> list[Provider]:
        rows = list(await self.session.scalars(
            select(Provider).where(Provider.user_id == self.principal.user_id).order_by(Provider.id)
        ))  # fmt: skip
        if not rows:
            raise missing("provider")
        return rows

    async def update_mine(self, data: ProviderSelfUpdate) -> list[Provider]:
        """On duty and position, for every provider entry of the caller (a member may also be a skilled resident)."""
        providers = await self.mine()
        values = changed_values(data)
        errors = FieldErrors()
        for provider in providers:
            await self._check(errors, values, provider)
            if errors.items:
                break
        errors.raise_if_any("the change has invalid fields")
        for provider in providers:
            await self._apply(provider, values)
        return providers
