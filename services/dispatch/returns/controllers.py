"""Unit returns (退单) with their evidence, the arbitration by the unit above (退单审定), the ping-pong report and the
district's ruling limit, over HTTP. Staff only: providers hand orders back through routing's ``/return``."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import STAFF
from services.dispatch.clocks.models import Deadline
from services.dispatch.returns.models import ReturnState, TicketReturn
from services.dispatch.returns.report import ping_pong
from services.dispatch.returns.schemas import (
    ReturnCreate,
    ReturnReport,
    ReturnSettingChange,
    ReturnSettingView,
    ReturnView,
    RulingCreate,
)
from services.dispatch.returns.services import ReturnService, ReturnSettingService, may_rule
from services.dispatch.tickets.history import shown_name
from services.dispatch.tickets.models import Ticket
from shared.auth.principal import Principal, Role
from shared.clock import now
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

State = Annotated[str | None, QueryParameter(name="state", pattern="^(" + "|".join(ReturnState) + ")$")]
Side = Annotated[str | None, QueryParameter(name="side", pattern="^(ruling|returning)$")]
TicketFilter = Annotated[UUID | None, QueryParameter(name="ticketId")]
FirstDay = Annotated[date | None, QueryParameter(name="from", description="YYYY-MM-DD, first day filed")]
LastDay = Annotated[date | None, QueryParameter(name="to", description="YYYY-MM-DD, last day filed")]


def return_view(row: TicketReturn, ticket: Ticket, deadline: Deadline | None, viewer: Principal) -> ReturnView:
    pending = row.state == ReturnState.PENDING
    due_at = deadline.due_at if deadline is not None and pending else None
    return view(
        ReturnView,
        row,
        ticket_number=ticket.number,
        ticket_title=ticket.title,
        ticket_status=ticket.status,
        due_at=due_at,
        overdue=row.escalations > 0 or (due_at is not None and due_at <= now()),
        filed_by_name=shown_name(row.filed_by_name, str(row.filed_by), viewer),
        ruled_by_name=shown_name(row.ruled_by_name, str(row.ruled_by) if row.ruled_by else None, viewer),
        may_rule=may_rule(viewer, row),
    )


class ReturnController(Controller):
    path = "/api/dispatch/returns"
    tags = ["Returns"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"returns": provide_service(ReturnService), "settings": provide_service(ReturnSettingService)}

    @post(
        "/",
        operation_id="FileReturn",
        summary="The unit a ticket is placed on returns it (退单), citing the grid boundary or the responsibility list",
    )
    async def file(self, returns: NamedDependency[ReturnService], data: JSONBody[ReturnCreate]) -> ReturnView:
        return return_view(*await returns.file(data), returns.principal)

    @get("/", operation_id="ListReturns", summary="Returns the reader's units made or must rule on, soonest due first")
    async def list_returns(
        self,
        returns: NamedDependency[ReturnService],
        state_filter: State = None,
        side: Side = None,
        ticket_id: TicketFilter = None,
    ) -> list[ReturnView]:
        rows = await returns.listed(state_filter, side, ticket_id)
        return [return_view(*row, returns.principal) for row in rows]

    @get(
        "/report",
        operation_id="ReturnPingPongReport",
        summary="Per returning unit: returns made, upheld, rejected, pending, tickets returned more than once",
    )
    async def report(
        self, returns: NamedDependency[ReturnService], start: FirstDay = None, end: LastDay = None
    ) -> ReturnReport:
        return await ping_pong(returns.session, returns.principal, start, end)

    @get("/settings", operation_id="GetReturnSetting", summary="How long the unit above has to rule on a return")
    async def setting(self, settings: NamedDependency[ReturnSettingService]) -> ReturnSettingView:
        return await settings.current()

    @patch(
        "/settings",
        operation_id="ChangeReturnSetting",
        summary="Set the ruling limit (hours, working time or around the clock)",
        guards=[requires_role(Role.DISTRICT_ADMIN)],
    )
    async def change_setting(
        self, settings: NamedDependency[ReturnSettingService], data: JSONBody[ReturnSettingChange]
    ) -> ReturnSettingView:
        return await settings.change(data)

    @get("/{return_id:uuid}", operation_id="GetReturn", summary="One return with its evidence and ruling")
    async def get_return(self, returns: NamedDependency[ReturnService], return_id: FromPath[UUID]) -> ReturnView:
        return return_view(*await returns.one(return_id), returns.principal)

    @post(
        "/{return_id:uuid}/ruling",
        operation_id="RuleOnReturn",
        status_code=200,
        summary="Uphold (name the unit that takes the ticket) or reject (it stays with the returning unit)",
    )
    async def rule(
        self, returns: NamedDependency[ReturnService], return_id: FromPath[UUID], data: JSONBody[RulingCreate]
    ) -> ReturnView:
        return return_view(*await returns.rule(return_id, data), returns.principal)
