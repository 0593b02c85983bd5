"""The hotline desk (DSP-01, DSP-02, DSP-03, DSP-17): intake, caller lookup, placement, duplicates, history."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import OPERATORS, STAFF
from services.dispatch.models import TicketStatus
from services.dispatch.tickets.intake import PERSONAL_FIELDS, check_phone
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
from services.dispatch.tickets.services import TicketService, duplicate_view, orgtree_households
from services.dispatch.tickets.views import history_view, ticket_view
from shared.auth.principal import Role
from shared.context import current_request_id, require_tenant
from shared.http.guards import principal_of, requires_role, requires_tenant
from shared.http.problems import FieldErrors, invalid
from shared.privacy import data_key, mask_phone, reveal

AnyRequest = Request[Any, Any, Any]
Status = Annotated[str | None, QueryParameter(name="status", pattern="^(" + "|".join(TicketStatus) + ")$")]
Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=200)]


class TicketController(Controller):
    path = "/api/dispatch/tickets"
    tags = ["Tickets"]
    guards = [requires_tenant]

    @post("/", operation_id="CreateTicket", summary="Record a request or case (channel, caller, place, category)",
          guards=[requires_role(*STAFF, Role.MEMBER)])  # fmt: skip
    async def create(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[TicketCreate]
    ) -> TicketCreated:
        service = TicketService(db_session, principal_of(request))
        ticket = await service.create(data)
        return TicketCreated(ticket=ticket_view(ticket), possible_duplicates=await service.duplicates(ticket))

    @get("/", operation_id="ListTickets", summary="Tickets the caller may see, newest first")
    async def list_tickets(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], status: Status = None,
        grid_id: Annotated[UUID | None, QueryParameter(name="gridId")] = None,
        after: Annotated[str | None, QueryParameter(name="after", max_length=120)] = None, limit: Limit = 50,
    ) -> TicketPage:  # fmt: skip
        rows, cursor = await TicketService(db_session, principal_of(request)).page(
            status=status, grid_id=grid_id, after=after, limit=limit
        )
        return TicketPage(items=[ticket_view(t) for t in rows], next=cursor)

    @get("/{ticket_id:uuid}", operation_id="GetTicket", summary="One ticket, personal data masked")
    async def get_ticket(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID]
    ) -> TicketView:
        return ticket_view(await TicketService(db_session, principal_of(request)).get(ticket_id))

    @get("/{ticket_id:uuid}/history", operation_id="GetTicketHistory", summary="Who did what, when and why")
    async def get_history(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID]
    ) -> list[HistoryView]:
        return [history_view(h) for h in await TicketService(db_session, principal_of(request)).history(ticket_id)]

    @get("/{ticket_id:uuid}/duplicates", operation_id="ListPossibleDuplicates", guards=[requires_role(*STAFF)],
         summary="Open tickets of the same household, address or caller and category")  # fmt: skip
    async def get_duplicates(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID]
    ) -> list[DuplicateView]:
        service = TicketService(db_session, principal_of(request))
        return await service.duplicates(await service.get(ticket_id))

    @patch("/{ticket_id:uuid}", operation_id="ClassifyTicket", summary="Classify or place a ticket not yet signed for",
           guards=[requires_role(*STAFF)])  # fmt: skip
    async def classify(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID],
        data: JSONBody[TicketClassify],
    ) -> TicketView:  # fmt: skip
        return ticket_view(await TicketService(db_session, principal_of(request)).classify(ticket_id, data))

    @post("/{ticket_id:uuid}/merge", operation_id="MergeTicket", summary="Fold a duplicate into an open ticket (并单)",
          status_code=200, guards=[requires_role(*STAFF)])  # fmt: skip
    async def merge(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID],
        data: JSONBody[MergeRequest],
    ) -> TicketView:  # fmt: skip
        service = TicketService(db_session, principal_of(request))
        return ticket_view(await service.merge(ticket_id, data.into_ticket_id, data.reason))

    @post("/{ticket_id:uuid}/cancel", operation_id="CancelTicket", summary="Withdraw an open ticket, with a reason",
          status_code=200, guards=[requires_role(*OPERATORS)])  # fmt: skip
    async def cancel(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID],
        data: JSONBody[CancelRequest],
    ) -> TicketView:  # fmt: skip
        return ticket_view(await TicketService(db_session, principal_of(request)).cancel(ticket_id, data.reason))

    @post("/{ticket_id:uuid}/reveal", operation_id="RevealTicketField", status_code=200,
          summary="Show the caller's name, phone or the address in clear, for a stated purpose (audited)",
          guards=[requires_role(*OPERATORS)])  # fmt: skip
    async def reveal_field(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID],
        data: JSONBody[RevealRequest],
    ) -> RevealView:  # fmt: skip
        ticket = await TicketService(db_session, principal_of(request)).get(ticket_id)
        if data.field not in PERSONAL_FIELDS:
            raise invalid("field", f"one of: {', '.join(PERSONAL_FIELDS)}")
        key, column = PERSONAL_FIELDS[data.field]
        ciphertext = getattr(ticket, column)
        if ciphertext is None:
            raise invalid("field", f"this ticket has no {data.field} on record")
        keys = await data_key(db_session, require_tenant())
        value = await reveal(db_session, keys, key, ciphertext, purpose=data.purpose, subject_type="ticket",
                             subject_id=ticket.id)  # fmt: skip
        return RevealView(field=data.field, value=value)


class CallerController(Controller):
    path = "/api/dispatch/callers"
    tags = ["Tickets"]
    guards = [requires_tenant, requires_role(*OPERATORS)]

    @post("/lookup", operation_id="LookupCaller", status_code=200,
          summary="A caller's earlier tickets and households, by phone number (masked)")  # fmt: skip
    async def lookup(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[CallerLookup]
    ) -> CallerView:
        errors = FieldErrors()
        check_phone(errors, "phone", data.phone)
        errors.raise_if_any("the phone number is not valid")
        earlier = await TicketService(db_session, principal_of(request)).earlier_tickets(data.phone)
        households = await orgtree_households(data.phone, request.headers.get("authorization"),
                                              current_request_id.get())  # fmt: skip
        return CallerView(phone=mask_phone(data.phone), earlier_tickets=[duplicate_view(t) for t in earlier],
                          households=households or [], households_available=households is not None)  # fmt: skip
