"""Closing the loop on a ticket (DSP-07, DSP-19, DSP-20): resolution, feedback, callback, close."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

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
from services.dispatch.models import Feedback, Ticket
from services.dispatch.tickets.schemas import TicketView
from services.dispatch.tickets.views import ticket_view
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views


def feedback_view(row: Feedback, ticket: Ticket) -> FeedbackView:
    return view(FeedbackView, row, ticket_status=ticket.status)  # "assigned" again when dissatisfaction reopened it


class ClosureController(Controller):
    path = "/api/dispatch/tickets"
    tags = ["Closure"]
    guards = [requires_tenant]
    dependencies = {"closure": provide_service(ClosureService)}

    @post(
        "/{ticket_id:uuid}/resolution",
        operation_id="ResolveTicket",
        status_code=200,
        summary="The handler reports the work done (note, service time, cost, gifts, unsolvable)",
    )
    async def resolve(
        self, closure: NamedDependency[ClosureService], ticket_id: FromPath[UUID], data: JSONBody[ResolutionCreate]
    ) -> TicketView:
        return ticket_view(await closure.resolve(ticket_id, data))

    @post(
        "/{ticket_id:uuid}/feedback",
        operation_id="GiveFeedback",
        summary="The served person's feedback form; dissatisfaction reopens the ticket",
    )
    async def feedback(
        self, closure: NamedDependency[ClosureService], ticket_id: FromPath[UUID], data: JSONBody[FeedbackCreate]
    ) -> FeedbackView:
        return feedback_view(*await closure.feedback(ticket_id, data))

    @post(
        "/{ticket_id:uuid}/callback",
        operation_id="RecordCallback",
        guards=[requires_role(*OPERATORS)],
        summary="The hotline's call back to the served person (电话回访), or its waiver with a reason",
    )
    async def callback(
        self, closure: NamedDependency[ClosureService], ticket_id: FromPath[UUID], data: JSONBody[CallbackCreate]
    ) -> CallbackView:
        return view(CallbackView, await closure.callback(ticket_id, data))

    @post(
        "/{ticket_id:uuid}/close",
        operation_id="CloseTicket",
        status_code=200,
        guards=[requires_role(*OPERATORS)],
        summary="Close a resolved ticket once satisfied feedback and a callback (or its waiver) are in",
    )
    async def close(self, closure: NamedDependency[ClosureService], ticket_id: FromPath[UUID]) -> TicketView:
        return ticket_view(await closure.close(ticket_id))

    @get(
        "/{ticket_id:uuid}/closure",
        operation_id="GetClosure",
        summary="What a ticket still awaits before closing, with its feedback and callbacks",
    )
    async def closure(self, closure: NamedDependency[ClosureService], ticket_id: FromPath[UUID]) -> ClosureView:
        ticket, awaiting, feedback, callbacks = await closure.status(ticket_id)
        return ClosureView(
            ticket=ticket_view(ticket),
            awaiting=awaiting,
            feedback=[feedback_view(row, ticket) for row in feedback],
            callbacks=views(CallbackView, callbacks),
        )
