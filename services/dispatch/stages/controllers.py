"""The five steps (DSP-17): a ticket's steps, and the district's "tell the resident at every step" (DSP-18)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, patch
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.dispatch.access import STAFF
from services.dispatch.stages.schemas import StageSettingChange, StageSettingView, StagesView
from services.dispatch.stages.services import StageService
from shared.auth.principal import Role
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant


class StageController(Controller):
    path = "/api/dispatch/stages"
    tags = ["Five steps"]
    guards = [requires_tenant]
    dependencies = {"stages": provide_service(StageService)}

    @get(
        "/tickets/{ticket_id:uuid}",
        operation_id="GetTicketStages",
        summary="The ticket's five steps: collect, classify, route, supervise, feed back (when, by whom)",
    )
    async def of_ticket(self, stages: NamedDependency[StageService], ticket_id: FromPath[UUID]) -> StagesView:
        return await stages.of_ticket(ticket_id)

    @get(
        "/settings",
        operation_id="GetStageSetting",
        summary="Whether residents get an SMS at every step",
        guards=[requires_role(*STAFF)],
    )
    async def setting(self, stages: NamedDependency[StageService]) -> StageSettingView:
        return await stages.setting()

    @patch(
        "/settings",
        operation_id="ChangeStageSetting",
        summary="Tell residents of every step by SMS, or only of routed, resolved and closed (DSP-18)",
        guards=[requires_role(Role.DISTRICT_ADMIN)],
    )
    async def change(
        self, stages: NamedDependency[StageService], data: JSONBody[StageSettingChange]
    ) -> StageSettingView:
        return await stages.change(data)
