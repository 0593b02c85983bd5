"""Monthly performance reports (TRN-06) and the performance wall: generation, lists, a person's and one's own."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.training.access import ATTENDEES, ORGANISERS, READERS
from services.training.paging import Cursor, Limit
from services.training.reports.schemas import (
    WALL_FIELDS,
    GenerationView,
    MonthlyReportPage,
    MonthlyReportView,
    WallPage,
    WallSettingsUpdate,
    WallSettingsView,
)
from services.training.reports.services import ReportService
from services.training.reports.wall import Settings, WallService
from shared.auth.principal import Role
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import views

Month = Annotated[str | None, QueryParameter(name="month", max_length=7, description="YYYY-MM (default: last month)")]
UnitPath = Annotated[str | None, QueryParameter(name="unitPath", max_length=400)]


def settings_view(found: Settings) -> WallSettingsView:
    return WallSettingsView(fields=found.fields, available=list(WALL_FIELDS), updated_at=found.updated_at)


class ReportController(Controller):
    path = "/api/training"
    tags = ["Monthly reports"]
    guards = [requires_tenant, requires_role(*READERS, *ATTENDEES)]
    dependencies = {"reports": provide_service(ReportService), "wall": provide_service(WallService)}

    @post(
        "/reports/monthly/{month:str}/generate",
        operation_id="GenerateMonthlyReports",
        summary="Generate (or regenerate) a month's reports of the members under a unit; one event per report",
        guards=[requires_role(*ORGANISERS)],
        status_code=200,
    )
    async def generate(
        self, reports: NamedDependency[ReportService], month: FromPath[str], unit_path: UnitPath = None
    ) -> GenerationView:
        return await reports.generate(month, unit_path)

    @get(
        "/reports/monthly",
        operation_id="ListMonthlyReports",
        summary="A month's reports of the members under a unit, by name",
        guards=[requires_role(*READERS)],
    )
    async def list_reports(
        self,
        reports: NamedDependency[ReportService],
        month: Month = None,
        unit_path: UnitPath = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> MonthlyReportPage:
        _, rows, following = await reports.page(month, unit_path, cursor, limit)
        return MonthlyReportPage(items=views(MonthlyReportView, rows), next=following)

    @get(
        "/people/{person_id:uuid}/reports/monthly",
        operation_id="ListPersonMonthlyReports",
        summary="A person's monthly reports, newest month first",
        guards=[requires_role(*READERS)],
    )
    async def person_reports(
        self,
        reports: NamedDependency[ReportService],
        person_id: FromPath[UUID],
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> MonthlyReportPage:
        rows, following = await reports.of_person(person_id, cursor, limit)
        return MonthlyReportPage(items=views(MonthlyReportView, rows), next=following)

    @get("/me/reports/monthly", operation_id="ListMyMonthlyReports", summary="My monthly reports, newest first")
    async def my_reports(
        self, reports: NamedDependency[ReportService], cursor: Cursor = None, limit: Limit = 50
    ) -> MonthlyReportPage:
        rows, following = await reports.mine(cursor, limit)
        return MonthlyReportPage(items=views(MonthlyReportView, rows), next=following)

    @get(
        "/wall",
        operation_id="GetPerformanceWall",
        summary="The performance wall: a month's members under a unit with the district's public figures only",
    )
    async def wall(
        self,
        wall: NamedDependency[WallService],
        month: Month = None,
        unit_path: UnitPath = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> WallPage:
        return await wall.page(month, unit_path, cursor, limit)

    @get("/wall/settings", operation_id="GetWallSettings", summary="Which figures the district's wall shows")
    async def wall_settings(self, wall: NamedDependency[WallService]) -> WallSettingsView:
        return settings_view(await wall.settings())

    @put(
        "/wall/settings",
        operation_id="SetWallSettings",
        summary="Choose the wall's public figures, in the order shown (the first orders the wall); audited",
        guards=[requires_role(Role.DISTRICT_ADMIN)],
    )
    async def set_wall_settings(
        self, wall: NamedDependency[WallService], data: JSONBody[WallSettingsUpdate]
    ) -> WallSettingsView:
        return settings_view(await wall.update(data))
