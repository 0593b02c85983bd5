"""The district's hotline setup (DSP-03, DSP-14, GW-07): read by staff, changed by the district admin."""

from __future__ import annotations

from datetime import date

from litestar import Controller, get, patch, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.dispatch.access import STAFF
from services.dispatch.catalogue.models import ServiceCategory, ServiceItem
from services.dispatch.catalogue.schemas import (
    CalendarDaySet,
    CalendarDayView,
    CategoryUpdate,
    CategoryView,
    ItemView,
    LadderLevelView,
    SettingsUpdate,
    SettingsView,
)
from services.dispatch.catalogue.services import CatalogueService
from shared.auth.principal import Role
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views

DISTRICT_ADMIN = [requires_role(Role.DISTRICT_ADMIN)]


def category_view(row: ServiceCategory, items: list[ServiceItem]) -> CategoryView:
    return view(CategoryView, row, items=views(ItemView, items))


class CatalogueController(Controller):
    path = "/api/dispatch"
    tags = ["Hotline setup"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"setup": provide_service(CatalogueService)}

    @get("/catalogue", operation_id="ListServiceCatalogue", summary="Categories and their items, with clocks")
    async def catalogue(self, setup: NamedDependency[CatalogueService]) -> list[CategoryView]:
        return [category_view(row, items) for row, items in await setup.catalogue()]

    @patch(
        "/catalogue/{code:str}",
        operation_id="UpdateServiceCategory",
        summary="Change a category's mode or clocks",
        guards=DISTRICT_ADMIN,
    )
    async def update_category(
        self, setup: NamedDependency[CatalogueService], code: FromPath[str], data: JSONBody[CategoryUpdate]
    ) -> CategoryView:
        return category_view(*await setup.update_category(code, data))

    @get("/ladder", operation_id="GetEscalationLadder", summary="The district's escalation ladder, grid first")
    async def get_ladder(self, setup: NamedDependency[CatalogueService]) -> list[LadderLevelView]:
        return views(LadderLevelView, await setup.ladder())

    @get("/settings", operation_id="GetHotlineSettings", summary="Arrival pledge, offer time-out, working calendar")
    async def get_settings(self, setup: NamedDependency[CatalogueService]) -> SettingsView:
        return view(SettingsView, await setup.settings())

    @patch(
        "/settings", operation_id="UpdateHotlineSettings", summary="Change the hotline's rules", guards=DISTRICT_ADMIN
    )
    async def update_settings(
        self, setup: NamedDependency[CatalogueService], data: JSONBody[SettingsUpdate]
    ) -> SettingsView:
        return view(SettingsView, await setup.update_settings(data))

    @get("/calendar", operation_id="ListCalendarDays", summary="Holidays and make-up working days")
    async def calendar(self, setup: NamedDependency[CatalogueService]) -> list[CalendarDayView]:
        return views(CalendarDayView, await setup.calendar())

    @put(
        "/calendar/{day:date}",
        operation_id="SetCalendarDay",
        summary="Mark a day as a holiday or a working day",
        guards=DISTRICT_ADMIN,
    )
    async def set_day(
        self, setup: NamedDependency[CatalogueService], day: FromPath[date], data: JSONBody[CalendarDaySet]
    ) -> CalendarDayView:
        await setup.set_day(day, data)
        return CalendarDayView(day=day, is_working=data.is_working, label=data.label)
