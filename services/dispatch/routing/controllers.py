"""Dispatch orders (DSP-04, DSP-05) and the provider registry (DSP-12)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import OPERATORS, PROVIDERS
from services.dispatch.models import Offer, Provider, ProviderKind, Ticket
from services.dispatch.routing.schemas import (
    AssignRequest,
    DeclineRequest,
    OfferView,
    ProviderCreate,
    ProviderPage,
    ProviderSelfUpdate,
    ProviderUpdate,
    ProviderView,
    ReturnRequest,
    RoutingView,
)
from services.dispatch.routing.services import ProviderService, RoutingService
from services.dispatch.tickets.views import ticket_view
from shared.http.guards import principal_of, requires_role, requires_tenant

AnyRequest = Request[Any, Any, Any]
Kind = Annotated[str | None, QueryParameter(name="kind", pattern="^(" + "|".join(ProviderKind) + ")$")]
Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=200)]


def offer_view(offer: Offer, ticket: Ticket) -> OfferView:
    return OfferView(
        id=offer.id, ticket_id=ticket.id, ticket_number=ticket.number, title=ticket.title, priority=ticket.priority,
        address=ticket.address_masked, grid_id=ticket.grid_id, provider_id=offer.provider_id, mode=offer.mode,
        rank=offer.rank, reasons=list(offer.reasons), status=offer.status, offered_at=offer.offered_at,
        expires_at=offer.expires_at, answered_at=offer.answered_at, decline_reason=offer.decline_reason,
    )  # fmt: skip


def routing_view(ticket: Ticket, offers: list[Offer]) -> RoutingView:
    return RoutingView(ticket=ticket_view(ticket), offers=[offer_view(o, ticket) for o in offers])


def provider_view(p: Provider) -> ProviderView:
    return ProviderView(
        id=p.id, kind=p.kind, name=p.name, member_id=p.member_id, user_id=p.user_id, grid_id=p.grid_id,
        skills=list(p.skills), latitude=p.latitude, longitude=p.longitude, on_duty=p.on_duty, active=p.active,
        card_number=p.card_number, insured=p.insured, fee_mode=p.fee_mode, phone=p.phone_masked,
        created_at=p.created_at,
    )  # fmt: skip


class DispatchOrderController(Controller):
    """The order side of a ticket: operators dispatch it, the provider who signed for it arrives or hands it back."""

    path = "/api/dispatch/tickets"
    tags = ["Routing"]
    guards = [requires_tenant]

    @post("/{ticket_id:uuid}/route", operation_id="RouteTicket", status_code=200, guards=[requires_role(*OPERATORS)],
          summary="Run routing again now: open offers are withdrawn, the best candidates get new ones")  # fmt: skip
    async def route(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID]
    ) -> RoutingView:
        ticket, offers = await RoutingService(db_session, principal_of(request)).reroute(ticket_id)
        return routing_view(ticket, offers)

    @post("/{ticket_id:uuid}/assign", operation_id="AssignTicket", status_code=200, guards=[requires_role(*OPERATORS)],
          summary="Dispatch to a provider the operator chose (an assign-mode offer)")  # fmt: skip
    async def assign(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID],
        data: JSONBody[AssignRequest],
    ) -> RoutingView:  # fmt: skip
        ticket, offers = await RoutingService(db_session, principal_of(request)).assign(ticket_id, data.provider_id)
        return routing_view(ticket, offers)

    @get("/{ticket_id:uuid}/offers", operation_id="ListTicketOffers", guards=[requires_role(*OPERATORS)],
         summary="Every offer made for a ticket, best rank first, with why each provider was chosen")  # fmt: skip
    async def offers(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID]
    ) -> list[OfferView]:
        rows = await RoutingService(db_session, principal_of(request)).ticket_offers(ticket_id)
        return [offer_view(offer, ticket) for offer, ticket in rows]

    @post("/{ticket_id:uuid}/arrival", operation_id="RecordArrival", status_code=200,
          guards=[requires_role(*PROVIDERS)],
          summary="The provider who signed for the order is on site (late arrivals are flagged)")  # fmt: skip
    async def arrival(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID]
    ) -> RoutingView:
        ticket = await RoutingService(db_session, principal_of(request)).arrive(ticket_id)
        return routing_view(ticket, [])

    @post("/{ticket_id:uuid}/return", operation_id="ReturnTicket", status_code=200,
          guards=[requires_role(*PROVIDERS, *OPERATORS)],
          summary="Hand an order back (退单) with a reason; it is routed again without this provider")  # fmt: skip
    async def give_back(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID],
        data: JSONBody[ReturnRequest],
    ) -> RoutingView:  # fmt: skip
        ticket, offers = await RoutingService(db_session, principal_of(request)).give_back(ticket_id, data.reason)
        return routing_view(ticket, offers)


class OfferController(Controller):
    """A provider's own offers: sign for an order, or decline it."""

    path = "/api/dispatch/offers"
    tags = ["Routing"]
    guards = [requires_tenant, requires_role(*PROVIDERS)]

    @get("/", operation_id="ListMyOffers", summary="My open offers, the soonest to expire first")
    async def list_offers(self, request: AnyRequest, db_session: NamedDependency[AsyncSession]) -> list[OfferView]:
        rows = await RoutingService(db_session, principal_of(request)).open_offers()
        return [offer_view(offer, ticket) for offer, ticket in rows]

    @post("/{offer_id:uuid}/accept", operation_id="AcceptOffer", status_code=200,
          summary="Sign for the order; in claim mode the first to accept wins and the rest get 409")  # fmt: skip
    async def accept(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], offer_id: FromPath[UUID]
    ) -> OfferView:
        offer, ticket = await RoutingService(db_session, principal_of(request)).accept(offer_id)
        return offer_view(offer, ticket)

    @post("/{offer_id:uuid}/decline", operation_id="DeclineOffer", status_code=200,
          summary="Decline the order with a reason; an assign-mode order goes to the next candidate")  # fmt: skip
    async def decline(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], offer_id: FromPath[UUID],
        data: JSONBody[DeclineRequest],
    ) -> OfferView:  # fmt: skip
        offer, ticket = await RoutingService(db_session, principal_of(request)).decline(offer_id, data.reason)
        return offer_view(offer, ticket)


class ProviderController(Controller):
    """Who can take orders: teams, studios, firms and skilled residents registered here; member volunteers
    follow orgtree's members."""

    path = "/api/dispatch/providers"
    tags = ["Providers"]
    guards = [requires_tenant]

    @get("/", operation_id="ListProviders", guards=[requires_role(*OPERATORS)], summary="Providers, oldest first")
    async def list_providers(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], kind: Kind = None,
        grid_id: Annotated[UUID | None, QueryParameter(name="gridId")] = None,
        active: Annotated[bool | None, QueryParameter(name="active")] = None,
        after: Annotated[UUID | None, QueryParameter(name="after")] = None, limit: Limit = 50,
    ) -> ProviderPage:  # fmt: skip
        rows, cursor = await ProviderService(db_session, principal_of(request)).page(
            kind=kind, grid_id=grid_id, active=active, after=after, limit=limit
        )
        return ProviderPage(items=[provider_view(p) for p in rows], next=cursor)

    @post("/", operation_id="RegisterProvider", guards=[requires_role(*OPERATORS)],
          summary="Register a professional team, expert studio, franchise firm or skilled resident")  # fmt: skip
    async def create(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[ProviderCreate]
    ) -> ProviderView:
        return provider_view(await ProviderService(db_session, principal_of(request)).create(data))

    @get("/me", operation_id="GetMyProviders", guards=[requires_role(*PROVIDERS)],
         summary="The caller's own provider entries")  # fmt: skip
    async def get_mine(self, request: AnyRequest, db_session: NamedDependency[AsyncSession]) -> list[ProviderView]:
        return [provider_view(p) for p in await ProviderService(db_session, principal_of(request)).mine()]

    @patch("/me", operation_id="UpdateMyProviders", guards=[requires_role(*PROVIDERS)],
           summary="Go on or off duty and share where I am")  # fmt: skip
    async def update_mine(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[ProviderSelfUpdate]
    ) -> list[ProviderView]:
        providers = await ProviderService(db_session, principal_of(request)).update_mine(data)
        return [provider_view(p) for p in providers]

    @get("/{provider_id:uuid}", operation_id="GetProvider", guards=[requires_role(*OPERATORS)],
         summary="One provider, phone masked")  # fmt: skip
    async def get_provider(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], provider_id: FromPath[UUID]
    ) -> ProviderView:
        return provider_view(await ProviderService(db_session, principal_of(request)).get(provider_id))

    @patch("/{provider_id:uuid}", operation_id="UpdateProvider", guards=[requires_role(*OPERATORS)],
           summary="Duty, skills, position, registry fields; deactivating withdraws its open orders")  # fmt: skip
    async def update(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], provider_id: FromPath[UUID],
        data: JSONBody[ProviderUpdate],
    ) -> ProviderView:  # fmt: skip
        return provider_view(await ProviderService(db_session, principal_of(request)).update(provider_id, data))
