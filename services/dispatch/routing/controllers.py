"""Dispatch orders (DSP-04, DSP-05): operators route and assign; providers answer offers, arrive, hand back."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.dispatch.access import OPERATORS, PROVIDERS
from services.dispatch.models import Offer, Ticket
from services.dispatch.routing.schemas import (
    AssignRequest,
    DeclineRequest,
    OfferView,
    ReturnRequest,
    RoutingView,
    TaskView,
)
from services.dispatch.routing.services import RoutingService
from services.dispatch.routing.tasks import TaskService
from services.dispatch.tickets.views import ticket_view
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

OPERATOR = [requires_role(*OPERATORS)]


def offer_view(offer: Offer, ticket: Ticket) -> OfferView:
    return view(
        OfferView,
        offer,
        ticket_id=ticket.id,
        ticket_number=ticket.number,
        title=ticket.title,
        priority=ticket.priority,
        address=ticket.address_masked,
        grid_id=ticket.grid_id,
    )


def offer_views(rows: list[tuple[Offer, Ticket]]) -> list[OfferView]:
    return [offer_view(offer, ticket) for offer, ticket in rows]


def routing_view(ticket: Ticket, offers: list[Offer]) -> RoutingView:
    return RoutingView(ticket=ticket_view(ticket), offers=[offer_view(o, ticket) for o in offers])


class DispatchOrderController(Controller):
    """The order side of a ticket: operators dispatch it, the provider who signed for it arrives or hands it back."""

    path = "/api/dispatch/tickets"
    tags = ["Routing"]
    guards = [requires_tenant]
    dependencies = {"routing": provide_service(RoutingService)}

    @post(
        "/{ticket_id:uuid}/route",
        operation_id="RouteTicket",
        status_code=200,
        guards=OPERATOR,
        summary="Run routing again now: open offers are withdrawn, the best candidates get new ones",
    )
    async def route(self, routing: NamedDependency[RoutingService], ticket_id: FromPath[UUID]) -> RoutingView:
        return routing_view(*await routing.reroute(ticket_id))

    @post(
        "/{ticket_id:uuid}/assign",
        operation_id="AssignTicket",
        status_code=200,
        guards=OPERATOR,
        summary="Dispatch to a provider the operator chose (an assign-mode offer)",
    )
    async def assign(
        self, routing: NamedDependency[RoutingService], ticket_id: FromPath[UUID], data: JSONBody[AssignRequest]
    ) -> RoutingView:
        return routing_view(*await routing.assign(ticket_id, data.provider_id))

    @get(
        "/{ticket_id:uuid}/offers",
        operation_id="ListTicketOffers",
        guards=OPERATOR,
        summary="Every offer made for a ticket, best rank first, with why each provider was chosen",
    )
    async def offers(self, routing: NamedDependency[RoutingService], ticket_id: FromPath[UUID]) -> list[OfferView]:
        return offer_views(await routing.ticket_offers(ticket_id))

    @post(
        "/{ticket_id:uuid}/offers/{offer_id:uuid}/accept",
        operation_id="AcceptOfferOnBehalf",
        status_code=200,
        guards=OPERATOR,
        summary="Sign for an open offer on the provider's behalf when they phone in (recorded as such, SMS to them)",
    )
    async def accept_on_behalf(
        self, routing: NamedDependency[RoutingService], ticket_id: FromPath[UUID], offer_id: FromPath[UUID]
    ) -> OfferView:
        return offer_view(*await routing.accept_on_behalf(ticket_id, offer_id))

    @post(
        "/{ticket_id:uuid}/arrival",
        operation_id="RecordArrival",
        status_code=200,
        guards=[requires_role(*PROVIDERS)],
        summary="The provider who signed for the order is on site (late arrivals are flagged)",
    )
    async def arrival(self, routing: NamedDependency[RoutingService], ticket_id: FromPath[UUID]) -> RoutingView:
        return routing_view(await routing.arrive(ticket_id), [])

    @post(
        "/{ticket_id:uuid}/return",
        operation_id="ReturnTicket",
        status_code=200,
        guards=[requires_role(*PROVIDERS, *OPERATORS)],
        summary="Hand an order back (退单) with a reason; it is routed again without this provider",
    )
    async def give_back(
        self, routing: NamedDependency[RoutingService], ticket_id: FromPath[UUID], data: JSONBody[ReturnRequest]
    ) -> RoutingView:
        return routing_view(*await routing.give_back(ticket_id, data.reason))


class OfferController(Controller):
    """A provider's own offers: sign for an order, or decline it."""

    path = "/api/dispatch/offers"
    tags = ["Routing"]
    guards = [requires_tenant, requires_role(*PROVIDERS)]
    dependencies = {"routing": provide_service(RoutingService)}

    @get("/", operation_id="ListMyOffers", summary="My open offers, the soonest to expire first")
    async def list_offers(self, routing: NamedDependency[RoutingService]) -> list[OfferView]:
        return offer_views(await routing.open_offers())

    @post(
        "/{offer_id:uuid}/accept",
        operation_id="AcceptOffer",
        status_code=200,
        summary="Sign for the order; in claim mode the first to accept wins and the rest get 409",
    )
    async def accept(self, routing: NamedDependency[RoutingService], offer_id: FromPath[UUID]) -> OfferView:
        return offer_view(*await routing.accept(offer_id))

    @post(
        "/{offer_id:uuid}/decline",
        operation_id="DeclineOffer",
        status_code=200,
        summary="Decline the order with a reason; an assign-mode order goes to the next candidate",
    )
    async def decline(
        self, routing: NamedDependency[RoutingService], offer_id: FromPath[UUID], data: JSONBody[DeclineRequest]
    ) -> OfferView:
        return offer_view(*await routing.decline(offer_id, data.reason))


class TaskController(Controller):
    """A provider's own tasks: what they signed for and have not resolved, with the address and phone in clear."""

    path = "/api/dispatch/tasks"
    tags = ["Routing"]
    guards = [requires_tenant, requires_role(*PROVIDERS)]
    dependencies = {"tasks": provide_service(TaskService)}

    @get(
        "/",
        operation_id="ListMyTasks",
        summary="My open tasks (signed for, not yet resolved), address and caller's phone masked (one task shows them)",
    )
    async def list_tasks(self, tasks: NamedDependency[TaskService]) -> list[TaskView]:
        return await tasks.open_tasks()

    @get(
        "/{ticket_id:uuid}",
        operation_id="GetMyTask",
        summary="One of my open tasks with address and caller's phone (audited); 404 once it is no longer mine",
    )
    async def get_task(self, tasks: NamedDependency[TaskService], ticket_id: FromPath[UUID]) -> TaskView:
        return await tasks.task(ticket_id)
