"""Closing the loop on a ticket (DSP-07, DSP-19, DSP-20): resolution, feedback, callback, close."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import OPERATORS
from services.dispatch.closure.schemas import (
    CallbackCreate,
    CallbackView,
    ClosureView,
    FeedbackCreate,
    FeedbackView,
    ResolutionCreate,
)
from services.dispatch.closure.services import ClosureService
from services.dispatch.models import Callback, Feedback
from services.dispatch.tickets.schemas import TicketView
from services.dispatch.tickets.views import ticket_view
from shared.http.guards import principal_of, requires_role, requires_tenant

AnyRequest = Request[Any, Any, Any]


def feedback_view(f: Feedback, ticket_status: str) -> FeedbackView:
    return FeedbackView(id=f.id, ticket_id=f.ticket_id, satisfied=f.satisfied, handler_score=f.handler_score,
                        station_score=f.station_score, process_score=f.process_score, result_score=f.result_score,
                        comment=f.comment, given_at=f.given_at, ticket_status=ticket_status)  # fmt: skip


def callback_view(c: Callback) -> CallbackView:
    return CallbackView(id=c.id, ticket_id=c.ticket_id, outcome=c.outcome, note=c.note, waiver_reason=c.waiver_reason,
                        at=c.at)  # fmt: skip


class ClosureController(Controller):
    path = "/api/dispatch/tickets"
    tags = ["Closure"]
    guards = [requires_tenant]

    @post("/{ticket_id:uuid}/resolution", operation_id="ResolveTicket", status_code=200,
          summary="The handler reports the work done (note, service time, cost, gifts, unsolvable)")  # fmt: skip
    async def resolve(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID],
        data: JSONBody[ResolutionCreate],
    ) -> TicketView:  # fmt: skip
        return ticket_view(await ClosureService(db_session, principal_of(request)).resolve(ticket_id, data))

    @post("/{ticket_id:uuid}/feedback", operation_id="GiveFeedback",
          summary="The served person's feedback form; dissatisfaction reopens the ticket")  # fmt: skip
    async def feedback(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID],
        data: JSONBody[FeedbackCreate],
    ) -> FeedbackView:  # fmt: skip
        row, ticket = await ClosureService(db_session, principal_of(request)).feedback(ticket_id, data)
        return feedback_view(row, ticket.status)

    @post("/{ticket_id:uuid}/callback", operation_id="RecordCallback", guards=[requires_role(*OPERATORS)],
          summary="The hotline's call back to the served person (电话回访), or its waiver with a reason")  # fmt: skip
    async def callback(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID],
        data: JSONBody[CallbackCreate],
    ) -> CallbackView:  # fmt: skip
        return callback_view(await ClosureService(db_session, principal_of(request)).callback(ticket_id, data))

    @post("/{ticket_id:uuid}/close", operation_id="CloseTicket", status_code=200, guards=[requires_role(*OPERATORS)],
          summary="Close a resolved ticket once satisfied feedback and a callback (or its waiver) are in")  # fmt: skip
    async def close(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID]
    ) -> TicketView:
        return ticket_view(await ClosureService(db_session, principal_of(request)).close(ticket_id))

    @get("/{ticket_id:uuid}/closure", operation_id="GetClosure",
         summary="What a ticket still awaits before closing, with its feedback and callbacks")  # fmt: skip
    async def closure(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID]
    ) -> ClosureView:
        service = ClosureService(db_session, principal_of(request))
        ticket, awaiting, feedback, callbacks = await service.status(ticket_id)
        return ClosureView(ticket=ticket_view(ticket), awaiting=awaiting,
                           feedback=[feedback_view(f, ticket.status) for f in feedback],
                           callbacks=[callback_view(c) for c in callbacks])  # fmt: skip
