"""Closing the loop on a ticket (DSP-07, DSP-19, DSP-20): resolution, feedback, callback, close."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.dispatch.access import OPERATORS
from services.dispatch.closure.feedback import PAGE
from services.dispatch.closure.schemas import (
    CallbackCreate,
    CallbackView,
    ClosureView,
    FeedbackCreate,
    FeedbackView,
    ResolutionCreate,
    WaiverReasonView,
)
from services.dispatch.closure.services import ClosureService
from services.dispatch.closure.waivers import REASON_LABELS, REASONS
from services.dispatch.models import Callback, Feedback, Ticket
from services.dispatch.tickets.history import shown_name
from services.dispatch.tickets.schemas import TicketView
from services.dispatch.tickets.views import ticket_view
from shared.auth.principal import Principal
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view


def feedback_view(row: Feedback, ticket: Ticket, viewer: Principal | None) -> FeedbackView:
    taken_by = None if row.via == PAGE else row.given_by  # the operator; a resident's own form names nobody
    return view(
        FeedbackView,
        row,
        taken_by=taken_by,
        taken_by_name=shown_name(row.given_by_name, str(taken_by), viewer) if taken_by else None,
        ticket_status=ticket.status,  # "assigned" again when dissatisfaction reopened it
    )


def callback_view(row: Callback, viewer: Principal) -> CallbackView:
    label = REASON_LABELS.get(row.waiver_reason or "")
    return view(CallbackView, row, waiver_reason_label=label, by_name=shown_name(row.by_name, str(row.by_user), viewer))


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
        row, ticket = await closure.feedback(ticket_id, data)
        return feedback_view(row, ticket, closure.principal)

    @post(
        "/{ticket_id:uuid}/callback",
        operation_id="RecordCallback",
        guards=[requires_role(*OPERATORS)],
        summary="The hotline's call back to the served person (电话回访), or a supervisor's waiver (listed reason)",
    )
    async def callback(
        self, closure: NamedDependency[ClosureService], ticket_id: FromPath[UUID], data: JSONBody[CallbackCreate]
    ) -> CallbackView:
        return callback_view(await closure.callback(ticket_id, data), closure.principal)

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
        viewer = closure.principal
        return ClosureView(
            ticket=ticket_view(ticket),
            awaiting=awaiting,
            feedback=[feedback_view(row, ticket, viewer) for row in feedback],
            callbacks=[callback_view(row, viewer) for row in callbacks],
        )


class WaiverReasonController(Controller):
    path = "/api/dispatch/closure/waiver-reasons"
    tags = ["Closure"]
    guards = [requires_tenant, requires_role(*OPERATORS)]

    @get("/", operation_id="ListCallbackWaiverReasons", summary="The reasons a callback may be waived for, in zh-CN")
    async def waiver_reasons(self) -> list[WaiverReasonView]:
        return [view(WaiverReasonView, reason) for reason in REASONS]
