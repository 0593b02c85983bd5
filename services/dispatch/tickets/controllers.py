"""The hotline desk (DSP-01, DSP-02, DSP-03, DSP-17): intake, caller lookup, placement, duplicates, history."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import OPERATORS, STAFF
from services.dispatch.tickets.callers import orgtree_households
from services.dispatch.tickets.history import history_view
from services.dispatch.tickets.intake import check_phone
from services.dispatch.tickets.models import TicketStatus
from services.dispatch.tickets.schemas import (
    CallerLookup,
    CallerView,
    CancelRequest,
    DuplicateProbe,
    DuplicateView,
    HistoryView,
    MergeRequest,
    NoteCreate,
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
from shared.privacy import mask_phone

# Repeat ``status`` for several stages (the desk asks for every open one).
Statuses = Annotated[
    list[str] | None, QueryParameter(name="status", description="one or more of: " + ", ".join(TicketStatus))
]
GridId = Annotated[UUID | None, QueryParameter(name="gridId")]
CategoryId = Annotated[UUID | None, QueryParameter(name="categoryId")]
Warning = Annotated[str | None, QueryParameter(name="warning", pattern="^(yellow|red|any)$")]
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

    @post(
        "/duplicates",
        operation_id="FindPossibleDuplicates",
        status_code=200,
        guards=STAFF_ONLY,
        summary="Before saving a call: open tickets of the same household, address or caller (and category)",
    )
    async def probe_duplicates(
        self, tickets: NamedDependency[TicketService], data: JSONBody[DuplicateProbe]
    ) -> list[DuplicateView]:
        return await tickets.probe_duplicates(data)

    @get(
        "/",
        operation_id="ListTickets",
        summary="Tickets the caller may see, newest first, each with its grid's name and first running clock",
    )
    async def list_tickets(
        self,
        tickets: NamedDependency[TicketService],
        status: Statuses = None,
        grid_id: GridId = None,
        category_id: CategoryId = None,
        warning: Warning = None,
        after: After = None,
        limit: Limit = 50,
    ) -> TicketPage:
        errors = FieldErrors()
        for value in status or []:
            errors.choice("query.status", value, tuple(TicketStatus))
        errors.raise_if_any("the filters are invalid")
        rows, cursor = await tickets.page(
            statuses=status, grid_id=grid_id, category_id=category_id, warning=warning, after=after, limit=limit
        )
        names, clocks = await tickets.desk_facts(rows)
        items = [ticket_view(row, names.get(row.grid_id) if row.grid_id else None, clocks.get(row.id)) for row in rows]
        return TicketPage(items=items, next=cursor)

    @get("/{ticket_id:uuid}", operation_id="GetTicket", summary="One ticket, personal data masked")
    async def get_ticket(self, tickets: NamedDependency[TicketService], ticket_id: TicketId) -> TicketView:
        ticket = await tickets.get(ticket_id)
        names, clocks = await tickets.desk_facts([ticket])
        return ticket_view(ticket, names.get(ticket.grid_id) if ticket.grid_id else None, clocks.get(ticket.id))

    @get("/{ticket_id:uuid}/history", operation_id="GetTicketHistory", summary="Who did what, when and why")
    async def get_history(self, tickets: NamedDependency[TicketService], ticket_id: TicketId) -> list[HistoryView]:
        return [history_view(row, tickets.principal) for row in await tickets.history(ticket_id)]

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
        "/{ticket_id:uuid}/notes",
        operation_id="AddTicketNote",
        summary="Add what a caller says again about an open ticket (a repeat call), kept in its history",
        guards=STAFF_ONLY,
    )
    async def add_note(
        self, tickets: NamedDependency[TicketService], ticket_id: TicketId, data: JSONBody[NoteCreate]
    ) -> HistoryView:
        return history_view(await tickets.add_note(ticket_id, data.text), tickets.principal)

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
        description="households.status: found | not_found | refused (orgtree refused this account the lookup) | "
        "unavailable (orgtree could not be asked); the earlier tickets are answered in every case.",
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
            households=households,
        )
