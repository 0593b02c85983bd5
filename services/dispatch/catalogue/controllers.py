"""The district's hotline setup (DSP-03, DSP-14, GW-07): read by staff, changed by the district admin."""

from __future__ import annotations

from datetime import date

from litestar import Controller, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.dispatch.access import STAFF
from services.dispatch.catalogue.models import ServiceCategory, ServiceItem
from services.dispatch.catalogue.schemas import (
    CalendarDaySet,
    CalendarDayView,
    CategoryCreate,
    CategoryUpdate,
    CategoryView,
    ItemCreate,
    ItemUpdate,
    ItemView,
    LadderLevelUpdate,
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

    @post(
        "/catalogue",
        operation_id="CreateServiceCategory",
        summary="Add a category with its mode and clocks",
        guards=DISTRICT_ADMIN,
    )
    async def create_category(
        self, setup: NamedDependency[CatalogueService], data: JSONBody[CategoryCreate]
    ) -> CategoryView:
        return category_view(await setup.create_category(data), [])

    @post(
        "/catalogue/{code:str}/items",
        operation_id="CreateServiceItem",
        summary="Add an item to a category",
        guards=DISTRICT_ADMIN,
    )
    async def create_item(
        self, setup: NamedDependency[CatalogueService], code: FromPath[str], data: JSONBody[ItemCreate]
    ) -> ItemView:
        return view(ItemView, await setup.create_item(code, data))

    @patch(
        "/catalogue/{code:str}/items/{item_code:str}",
        operation_id="UpdateServiceItem",
        summary="Change an item, or take it out of use",
        guards=DISTRICT_ADMIN,
    )
    async def update_item(
        self,
        setup: NamedDependency[CatalogueService],
        code: FromPath[str],
        item_code: FromPath[str],
        data: JSONBody[ItemUpdate],
    ) -> ItemView:
        return view(ItemView, await setup.update_item(code, item_code, data))

    @patch(
        "/catalogue/{code:str}",
        operation_id="UpdateServiceCategory",
        summary="Change a category's name, mode or clocks",
        guards=DISTRICT_ADMIN,
    )
    async def update_category(
        self, setup: NamedDependency[CatalogueService], code: FromPath[str], data: JSONBody[CategoryUpdate]
    ) -> CategoryView:
        return category_view(*await setup.update_category(code, data))

    @get("/ladder", operation_id="GetEscalationLadder", summary="The district's escalation ladder, grid first")
    async def get_ladder(self, setup: NamedDependency[CatalogueService]) -> list[LadderLevelView]:
        return views(LadderLevelView, await setup.ladder())

    @patch(
        "/ladder/{rank:int}",
        operation_id="UpdateEscalationLevel",
        summary="Rename a rung or set its resolution limit",
        guards=DISTRICT_ADMIN,
    )
    async def update_level(
        self, setup: NamedDependency[CatalogueService], rank: FromPath[int], data: JSONBody[LadderLevelUpdate]
    ) -> LadderLevelView:
        return view(LadderLevelView, await setup.update_level(rank, data))

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

    @delete(
        "/calendar/{day:date}",
        operation_id="ClearCalendarDay",
        summary="Unmark a day: it follows the working week again",
        guards=DISTRICT_ADMIN,
    )
    async def clear_day(self, setup: NamedDependency[CatalogueService], day: FromPath[date]) -> None:
        await setup.clear_day(day)
