"""The idle-item swap (DSP-27) over HTTP: items registered at a community, the monthly swap days with the items
brought, swaps and donations to households in need, and the month's report per community."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import STAFF
from services.dispatch.campaigns.controllers import month_of
from services.dispatch.swap.models import SwapEvent, SwapItem
from services.dispatch.swap.schemas import (
    DonationCreate,
    EventCreate,
    EventView,
    ItemCreate,
    ItemsBrought,
    ItemView,
    MonthReport,
    StepView,
    SwapCreate,
    UnitOption,
)
from services.dispatch.swap.services import SwapService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views

Month = Annotated[str | None, QueryParameter(name="month", description="YYYY-MM; this month by default")]


async def item_views(swaps: SwapService, items: list[SwapItem]) -> list[ItemView]:
    partners = await swaps.partners(items)
    found = []
    for item in items:
        partner = partners.get(item.swapped_for_id) if item.swapped_for_id else None
        found.append(
            view(
                ItemView,
                item,
                owner_name=item.owner_name_masked,
                owner_phone=item.owner_phone_masked,
                swapped_for_title=partner.title if partner else None,
                swapped_to_name=partner.owner_name_masked if partner else None,
            )
        )
    return found


async def item_page(swaps: SwapService, item: SwapItem) -> ItemView:
    shown = (await item_views(swaps, [item]))[0]
    shown.steps = views(StepView, await swaps.steps(item))
    return shown


async def event_views(swaps: SwapService, events: list[SwapEvent]) -> list[EventView]:
    counts = await swaps.event_counts([e.id for e in events])
    return [
        view(EventView, e, **dict(zip(("brought", "swapped", "donated"), counts.get(e.id, (0, 0, 0)), strict=True)))
        for e in events
    ]


async def event_page(swaps: SwapService, event: SwapEvent) -> EventView:
    shown = (await event_views(swaps, [event]))[0]
    shown.items = await item_views(swaps, await swaps.event_items(event))
    return shown


class SwapController(Controller):
    path = "/api/dispatch/swap"
    tags = ["Idle-item swap"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"swaps": provide_service(SwapService)}

    @get("/units", operation_id="SwapUnits", summary="Communities and streets of the caller's scope")
    async def units(self, swaps: NamedDependency[SwapService]) -> list[UnitOption]:
        return [UnitOption(id=u.id, name=u.name, level=u.level, street_name=u.street_name) for u in await swaps.units()]

    @post("/items", operation_id="RegisterIdleItem", summary="Register an idle item brought to a community")
    async def register(self, swaps: NamedDependency[SwapService], data: JSONBody[ItemCreate]) -> ItemView:
        return await item_page(swaps, await swaps.register(data))

    @get("/items", operation_id="ListIdleItems", summary="Idle items of the caller's scope, newest first")
    async def list_items(
        self,
        swaps: NamedDependency[SwapService],
        item_state: Annotated[
            str | None, QueryParameter(name="state", description="available | swapped | donated")
        ] = None,
        community_id: Annotated[UUID | None, QueryParameter(name="communityId")] = None,
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> list[ItemView]:
        return await item_views(swaps, await swaps.items(item_state, community_id, limit, offset))

    @get("/items/{item_id:uuid}", operation_id="GetIdleItem", summary="One idle item with each of its steps")
    async def get_item(self, swaps: NamedDependency[SwapService], item_id: FromPath[UUID]) -> ItemView:
        return await item_page(swaps, await swaps.get_item(item_id))

    @post(
        "/items/{item_id:uuid}/donation",
        operation_id="DonateIdleItem",
        summary="Give the item to a household in need (409 if it was swapped or given already)",
    )
    async def donate(
        self, swaps: NamedDependency[SwapService], item_id: FromPath[UUID], data: JSONBody[DonationCreate]
    ) -> ItemView:
        return await item_page(swaps, await swaps.donate(item_id, data))

    @post("/events", operation_id="RecordSwapDay", summary="Record a community's or street's swap day (one a month)")
    async def create_event(self, swaps: NamedDependency[SwapService], data: JSONBody[EventCreate]) -> EventView:
        return await event_page(swaps, await swaps.create_event(data))

    @get("/events", operation_id="ListSwapDays", summary="The month's swap days the caller may see")
    async def list_events(self, swaps: NamedDependency[SwapService], month: Month = None) -> list[EventView]:
        return await event_views(swaps, await swaps.events(*month_of(month)))

    @get("/events/{event_id:uuid}", operation_id="GetSwapDay", summary="One swap day with the items brought to it")
    async def get_event(self, swaps: NamedDependency[SwapService], event_id: FromPath[UUID]) -> EventView:
        return await event_page(swaps, await swaps.get_event(event_id))

    @post("/events/{event_id:uuid}/items", operation_id="BringIdleItems", summary="Items brought to the swap day")
    async def bring(
        self, swaps: NamedDependency[SwapService], event_id: FromPath[UUID], data: JSONBody[ItemsBrought]
    ) -> EventView:
        return await event_page(swaps, await swaps.bring(event_id, data))

    @post(
        "/events/{event_id:uuid}/swaps",
        operation_id="RecordSwap",
        summary="Two items brought to the swap day change hands (409 if either is settled already)",
    )
    async def swap(
        self, swaps: NamedDependency[SwapService], event_id: FromPath[UUID], data: JSONBody[SwapCreate]
    ) -> list[ItemView]:
        return await item_views(swaps, list(await swaps.swap(event_id, data)))

    @get("/report", operation_id="SwapReport", summary="A month per community: items registered, swapped, donated")
    async def report(self, swaps: NamedDependency[SwapService], month: Month = None) -> MonthReport:
        year, number = month_of(month)
        rows, totals = await swaps.report(year, number)
        return MonthReport(month=f"{year:04d}-{number:02d}", rows=rows, totals=totals)
