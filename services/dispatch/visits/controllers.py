"""Micro-visits (DSP-24) and mandatory visits (DSP-25) over HTTP: members record visits to the households they
serve; staff of the household's scope may too, and read the compliance report and the visit tasks."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import STAFF
from services.dispatch.visits.compliance import ComplianceService
from services.dispatch.visits.schemas import (
    ComplianceReport,
    ServedHousehold,
    TaskPage,
    VisitCreate,
    VisitView,
)
from services.dispatch.visits.services import VisitService
from services.dispatch.visits.tasks import VisitTaskService
from shared.auth.principal import Role
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant

VISITORS = (*STAFF, Role.MEMBER, Role.VOLUNTEER)
Offset = Annotated[int, QueryParameter(name="offset", ge=0, le=1_000_000)]
Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=200)]


class VisitController(Controller):
    path = "/api/dispatch/visits"
    tags = ["Visits"]
    guards = [requires_tenant, requires_role(*VISITORS)]
    dependencies = {
        "visits": provide_service(VisitService),
        "tasks": provide_service(VisitTaskService),
        "compliance": provide_service(ComplianceService),
    }

    @post("/", operation_id="RecordVisit", summary="Record a micro-visit to a household, one matter per item")
    async def record(self, visits: NamedDependency[VisitService], data: JSONBody[VisitCreate]) -> VisitView:
        return await visits.record(data)

    @get("/", operation_id="ListVisits", summary="Visits the caller may see, newest first (reading is audited)")
    async def list_visits(
        self,
        visits: NamedDependency[VisitService],
        household_id: Annotated[UUID | None, QueryParameter(name="householdId")] = None,
        limit: Limit = 50,
    ) -> list[VisitView]:
        return await visits.page(household_id, limit)

    @get(
        "/households",
        operation_id="ServedHouseholds",
        summary="The households the caller serves, with their last visit and open mandatory visits",
    )
    async def served(self, visits: NamedDependency[VisitService]) -> list[ServedHousehold]:
        return await visits.served()

    @get(
        "/compliance",
        operation_id="VisitCompliance",
        summary="Red-cell links unvisited in the district's interval, per grid, village or street",
        guards=[requires_role(*STAFF)],
    )
    async def compliance_report(
        self,
        compliance: NamedDependency[ComplianceService],
        by: Annotated[str, QueryParameter(name="by", description="grid | village | street")] = "grid",
        unit_id: Annotated[UUID | None, QueryParameter(name="unitId")] = None,
        offset: Offset = 0,
        limit: Limit = 50,
    ) -> ComplianceReport:
        return await compliance.report(by, unit_id, offset, limit)

    @get("/tasks", operation_id="ListVisitTasks", summary="Mandatory visit tasks: open, overdue or closed")
    async def list_tasks(
        self,
        tasks: NamedDependency[VisitTaskService],
        task_state: Annotated[str, QueryParameter(name="state", description="open | overdue | closed")] = "open",
        offset: Offset = 0,
        limit: Limit = 50,
    ) -> TaskPage:
        items, next_offset = await tasks.page(task_state, offset, limit)
        return TaskPage(items=items, next_offset=next_offset)

    @get("/{visit_id:uuid}", operation_id="GetVisit", summary="One visit with its matters (reading is audited)")
    async def get_visit(self, visits: NamedDependency[VisitService], visit_id: FromPath[UUID]) -> VisitView:
        return await visits.get(visit_id)
