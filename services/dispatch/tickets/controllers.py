"""The hotline desk (DSP-01, DSP-02, DSP-03, DSP-17): intake, caller lookup, placement, duplicates, history."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import OPERATORS, STAFF
from services.dispatch.tickets.callers import orgtree_households
from services.dispatch.tickets.intake import check_phone
from services.dispatch.tickets.models import TicketStatus
from services.dispatch.tickets.schemas import (
    CallerLookup,
    CallerView,
    CancelRequest,
    DuplicateView,
    HistoryView,
    MergeRequest,
    RevealRequest,
    RevealView,
    TicketClassify,
    TicketCreate,
    TicketCreated,
    TicketPage,
    TicketView,
)
from services.dispatch.tickets.services import TicketService
from services.dispatch.tickets.views import duplicate_view, ticket_view
from shared.auth.principal import Role
from shared.context import current_request_id
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.problems import FieldErrors
from shared.http.views import views
from shared.privacy import mask_phone

Status = Annotated[str | None, QueryParameter(name="status", pattern="^(" + "|".join(TicketStatus) + ")$")]
GridId = Annotated[UUID | None, QueryParameter(name="gridId")]
After = Annotated[str | None, QueryParameter(name="after", max_length=120)]
Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=200)]


DESK = [requires_role(*STAFF, Role.MEMBER)]
STAFF_ONLY = [requires_role(*STAFF)]
OPERATORS_ONLY = [requires_role(*OPERATORS)]
TicketId = FromPath[UUID]


class TicketController(Controller):
    path = "/api/dispatch/tickets"
    tags = ["Tickets"]
    guards = [requires_tenant]
    dependencies = {"tickets": provide_service(TicketService)}

    @post(
        "/",
        operation_id="CreateTicket",
        summary="Record a request or case (channel, caller, place, category)",
        guards=DESK,
    )
    async def create(self, tickets: NamedDependency[TicketService], data: JSONBody[TicketCreate]) -> TicketCreated:
        ticket = await tickets.create(data)
        return TicketCreated(ticket=ticket_view(ticket), possible_duplicates=await tickets.duplicates(ticket))

    @get("/", operation_id="ListTickets", summary="Tickets the caller may see, newest first")
    async def list_tickets(
        self,
        tickets: NamedDependency[TicketService],
        status: Status = None,
        grid_id: GridId = None,
        after: After = None,
        limit: Limit = 50,
    ) -> TicketPage:
        rows, cursor = await tickets.page(status=status, grid_id=grid_id, after=after, limit=limit)
        return TicketPage(items=[ticket_view(row) for row in rows], next=cursor)

    @get("/{ticket_id:uuid}", operation_id="GetTicket", summary="One ticket, personal data masked")
    async def get_ticket(self, tickets: NamedDependency[TicketService], ticket_id: TicketId) -> TicketView:
        return ticket_view(await tickets.get(ticket_id))

    @get("/{ticket_id:uuid}/history", operation_id="GetTicketHistory", summary="Who did what, when and why")
    async def get_history(self, tickets: NamedDependency[TicketService], ticket_id: TicketId) -> list[HistoryView]:
        return views(HistoryView, await tickets.history(ticket_id))

    @get(
        "/{ticket_id:uuid}/duplicates",
        operation_id="ListPossibleDuplicates",
        guards=STAFF_ONLY,
        summary="Open tickets of the same household, address or caller and category",
    )
    async def get_duplicates(self, tickets: NamedDependency[TicketService], ticket_id: TicketId) -> list[DuplicateView]:
        return await tickets.duplicates(await tickets.get(ticket_id))

    @patch(
        "/{ticket_id:uuid}",
        operation_id="ClassifyTicket",
        summary="Classify or place a ticket not yet signed for",
        guards=STAFF_ONLY,
    )
    async def classify(
        self, tickets: NamedDependency[TicketService], ticket_id: TicketId, data: JSONBody[TicketClassify]
    ) -> TicketView:
        return ticket_view(await tickets.classify(ticket_id, data))

    @post(
        "/{ticket_id:uuid}/merge",
        operation_id="MergeTicket",
        summary="Fold a duplicate into an open ticket (并单)",
        status_code=200,
        guards=STAFF_ONLY,
    )
    async def merge(
        self, tickets: NamedDependency[TicketService], ticket_id: TicketId, data: JSONBody[MergeRequest]
    ) -> TicketView:
        return ticket_view(await tickets.merge(ticket_id, data.into_ticket_id, data.reason))

    @post(
        "/{ticket_id:uuid}/cancel",
        operation_id="CancelTicket",
        summary="Withdraw an open ticket, with a reason",
        status_code=200,
        guards=OPERATORS_ONLY,
    )
    async def cancel(
        self, tickets: NamedDependency[TicketService], ticket_id: TicketId, data: JSONBody[CancelRequest]
    ) -> TicketView:
        return ticket_view(await tickets.cancel(ticket_id, data.reason))

    @post(
        "/{ticket_id:uuid}/reveal",
        operation_id="RevealTicketField",
        status_code=200,
        guards=OPERATORS_ONLY,
        summary="Show the caller's name, phone or the address in clear, for a stated purpose (audited)",
    )
    async def reveal_field(
        self, tickets: NamedDependency[TicketService], ticket_id: TicketId, data: JSONBody[RevealRequest]
    ) -> RevealView:
        return RevealView(field=data.field, value=await tickets.reveal(ticket_id, data.field, data.purpose))


class CallerController(Controller):
    path = "/api/dispatch/callers"
    tags = ["Tickets"]
    guards = [requires_tenant, requires_role(*OPERATORS)]
    dependencies = {"tickets": provide_service(TicketService)}

    @post(
        "/lookup",
        operation_id="LookupCaller",
        status_code=200,
        summary="A caller's earlier tickets and households, by phone number (masked)",
    )
    async def lookup(
        self, request: Request[Any, Any, Any], tickets: NamedDependency[TicketService], data: JSONBody[CallerLookup]
    ) -> CallerView:
        errors = FieldErrors()
        check_phone(errors, "phone", data.phone)
        errors.raise_if_any("the phone number is not valid")
        earlier = await tickets.earlier_tickets(data.phone)
        households = await orgtree_households(
            data.phone, request.headers.get("authorization"), current_request_id.get()
        )
        return CallerView(
            phone=mask_phone(data.phone),
            earlier_tickets=[duplicate_view(row) for row in earlier],
            households=households or [],
            households_available=households is not None,
        )
