"""Routing's API (DSP-04, DSP-05): operators dispatch; providers answer offers, arrive and hand orders back.

Every step goes through the offer engine (``offers.py``) under the ticket's lock, in the order it documents.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import is_operator
from services.dispatch.models import DispatchMode, Offer, OfferStatus, Provider, Ticket
from services.dispatch.notifications.queue import queue_notification
from services.dispatch.routing.candidates import ROUTABLE, SIGNED, S, refused
from services.dispatch.routing.offers import (
    close_offer,
    dispatch,
    hand_back,
    lock_ticket,
    make_offers,
    offers_of,
    withdraw,
)
from services.dispatch.routing.ranking import Ranked
from services.dispatch.settings import district_rules
from services.dispatch.tickets.history import record
from services.dispatch.tickets.services import TicketRepository
from services.dispatch.tickets.transitions import move
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.dispatch import TicketAssigned
from shared.http.problems import conflict, invalid, missing
from shared.messaging.outbox import publish

ON_BEHALF = "志愿者来电，话务员代为签收"
NOT_TRAINED = (
    "this member volunteer has not completed pre-service training (岗前培训), and this district dispatches member "
    "volunteers only after it: choose another provider, or wait for training to record the completion"
)


def my_providers(principal: Principal) -> Any:
    return select(Provider.id).where(Provider.user_id == principal.user_id)


class RoutingService:
    """Operators dispatch; providers answer offers, arrive and hand orders back."""

    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.actor = str(principal.user_id)
        self.tickets = TicketRepository(session)

    async def _audit(self, action: str, subject: Ticket | Offer, detail: dict[str, Any] | None = None) -> None:
        subject_type = "ticket" if isinstance(subject, Ticket) else "offer"
        await audit.record(self.session, action, subject_type=subject_type, subject_id=str(subject.id), detail=detail)

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
            count = {"count": withdrawn}
            await record(self.session, ticket, "offers_withdrawn", from_status=ticket.status, details=count)
        offers = await dispatch(self.session, ticket, exclude=refused(ticket.id), actor=self.actor, reason="operator")
        await self._audit("dispatch.ticket.rerouted", ticket, {"offers": len(offers)})
        return ticket, offers

    async def assign(self, ticket_id: UUID, provider_id: UUID) -> tuple[Ticket, list[Offer]]:
        """Manual dispatch: an assign-mode offer to the provider the operator chose."""
        ticket = await self._routable(ticket_id)
        provider = await self.session.get(Provider, provider_id)
        if provider is None or not provider.active:
            raise invalid("providerId", "not an active provider of this district")
        if provider.awaits_pre_service() and (await district_rules(self.session)).require_pre_service:
            raise conflict(NOT_TRAINED)
        await withdraw(self.session, ticket.id)
        pick = Ranked(provider.id, ("manual",), None)
        trigger = {"trigger": "manual"}
        offers = await make_offers(self.session, ticket, [pick], DispatchMode.ASSIGN, actor=self.actor, details=trigger)
        await self._audit("dispatch.ticket.assigned_manually", ticket, {"provider": str(provider.id)})
        return ticket, offers

    async def ticket_offers(self, ticket_id: UUID) -> list[tuple[Offer, Ticket]]:
        ticket = await self.tickets.get_or_404(ticket_id)
        return [(offer, ticket) for offer in await offers_of(self.session, ticket.id)]

    # providers

    async def open_offers(self) -> list[tuple[Offer, Ticket]]:
        rows = await self.session.execute(
            select(Offer, Ticket)
            .join(Ticket, Ticket.id == Offer.ticket_id)
            .where(Offer.provider_id.in_(my_providers(self.principal)), Offer.status == OfferStatus.OPEN)
            .order_by(Offer.expires_at, Offer.id)
        )
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
        await self._sign_for(offer, ticket)
        return offer, ticket

    async def accept_on_behalf(self, ticket_id: UUID, offer_id: UUID) -> tuple[Offer, Ticket]:
        """An operator signs for a provider who phoned the hotline: the same acceptance, recorded as the
        operator's on the provider's behalf, and the provider is told by SMS."""
        ticket = await lock_ticket(self.session, ticket_id)
        offer = await self.session.get(Offer, offer_id, populate_existing=True) if ticket is not None else None
        if ticket is None or offer is None or offer.ticket_id != ticket.id:
            raise missing("offer")
        await self._sign_for(offer, ticket, on_behalf=True)
        await queue_notification(
            self.session,
            template="offer_accepted_on_behalf",
            recipient_kind="provider",
            recipient_id=offer.provider_id,
            channel="sms",
            ticket_id=ticket.id,
            offer_id=offer.id,
            params={"number": ticket.number},
        )
        return offer, ticket

    async def _sign_for(self, offer: Offer, ticket: Ticket, *, on_behalf: bool = False) -> None:
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
        offer.accepted_on_behalf_by = self.principal.user_id if on_behalf else None
        ticket.provider_id, ticket.accepted_at = offer.provider_id, at
        await withdraw(self.session, ticket.id, keep=offer.id)
        answer: dict[str, Any] = {"offer": str(offer.id), "provider": str(offer.provider_id), "mode": offer.mode}
        reason = None
        if on_behalf:  # who accepted (the history's actor) for whom (the provider)
            answer["onBehalf"] = True
            reason = ON_BEHALF
        await move(self.session, ticket, S.ASSIGNED, "accepted", reason=reason, actor=self.actor, details=answer)
        member_id, user_id = (
            await self.session.execute(
                select(Provider.member_id, Provider.user_id).where(Provider.id == offer.provider_id)
            )
        ).one()
        assigned = TicketAssigned(
            tenant_id=require_tenant(),
            ticket_id=ticket.id,
            provider_id=offer.provider_id,
            member_id=member_id,
            mode=offer.mode,
            provider_user_id=user_id,
        )
        await publish(self.session, assigned)
        await self._audit("dispatch.offer.accepted_on_behalf" if on_behalf else "dispatch.offer.accepted", offer)

    async def decline(self, offer_id: UUID, reason: str) -> tuple[Offer, Ticket]:
        offer, ticket = await self._answerable(offer_id)
        if offer.status != OfferStatus.OPEN:
            raise conflict(f"this offer is no longer open ({offer.status})")
        await close_offer(self.session, ticket, offer, OfferStatus.DECLINED, actor=self.actor, reason=reason.strip())
        await self._audit("dispatch.offer.declined", offer)
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
        settings = await district_rules(self.session)
        ticket.arrived_at = now()
        dispatched = ticket.dispatched_at or ticket.accepted_at or ticket.arrived_at
        ticket.arrival_late = ticket.arrived_at - dispatched > timedelta(minutes=settings.arrival_limit_minutes)
        details = {"late": ticket.arrival_late, "limitMinutes": settings.arrival_limit_minutes}
        await move(self.session, ticket, S.ON_SITE, "arrived", actor=self.actor, details=details)
        await self._audit("dispatch.ticket.arrived", ticket, {"late": ticket.arrival_late})
        return ticket

    async def give_back(self, ticket_id: UUID, reason: str) -> tuple[Ticket, list[Offer]]:
        ticket = await self._signed(ticket_id, operator_too=True)
        if ticket.status not in SIGNED or ticket.provider_id is None:
            raise conflict(f"only an order signed for and not yet resolved can be handed back ({ticket.status})")
        offers = await hand_back(self.session, ticket, reason=reason.strip(), actor=self.actor)
        await self._audit("dispatch.ticket.returned", ticket)
        return ticket, offers
