"""The rectification lists' API (TRN-13): items with problem, measure, lead unit, responsible leader and deadline;
the month's progress; the tick-off. Organisers of the units under their scope."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.training.access import ORGANISERS
from services.training.paging import Cursor, Limit
from services.training.rectification.models import RectificationItem
from services.training.rectification.schemas import (
    DoneWrite,
    ItemCreate,
    ItemsPage,
    ItemView,
    ProgressView,
    ProgressWrite,
)
from services.training.rectification.services import RectificationService
from shared.clock import china_today
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views

StateQuery = Annotated[Literal["open", "done"], QueryParameter(name="state")]
OverdueQuery = Annotated[bool | None, QueryParameter(name="overdue")]
UnitQuery = Annotated[str | None, QueryParameter(name="unitPath", max_length=400, pattern=r"^/")]
ReviewQuery = Annotated[UUID | None, QueryParameter(name="reviewId", description="the items of one duty review")]


async def item_views(service: RectificationService, items: Sequence[RectificationItem]) -> list[ItemView]:
    progress = await service.progress_of(items)
    secretaries = await service.secretaries(items)
    today = china_today()
    return [
        view(
            ItemView,
            item,
            overdue=item.done_at is None and item.deadline < today,
            secretary_name=secretaries.get(item.review_id) if item.review_id else None,
            progress=views(ProgressView, progress.get(item.id, [])),
        )
        for item in items
    ]


class RectificationController(Controller):
    path = "/api/training/rectifications"
    tags = ["Rectification lists"]
    guards = [requires_tenant, requires_role(*ORGANISERS)]
    dependencies = {"items": provide_service(RectificationService)}

    @get(operation_id="ListRectificationItems", summary="Open items by deadline (the overdue first), or done ones")
    async def list_items(
        self,
        items: NamedDependency[RectificationService],
        item_state: StateQuery = "open",
        overdue: OverdueQuery = None,
        unit_path: UnitQuery = None,
        review_id: ReviewQuery = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> ItemsPage:
        found, following = await items.page(
            unit_path=unit_path,
            review_id=review_id,
            state=item_state,
            overdue=overdue,
            cursor=cursor,
            limit=limit,
        )
        return ItemsPage(items=await item_views(items, found), next=following)

    @post(operation_id="ListRectificationItem", summary="An item of the lists (a deadline from today on)")
    async def create(self, items: NamedDependency[RectificationService], data: JSONBody[ItemCreate]) -> ItemView:
        return (await item_views(items, [await items.create(data)]))[0]

    @get("/{item_id:uuid}", operation_id="GetRectificationItem", summary="An item with its monthly progress")
    async def get_item(self, items: NamedDependency[RectificationService], item_id: FromPath[UUID]) -> ItemView:
        return (await item_views(items, [await items.get(item_id)]))[0]

    @post(
        "/{item_id:uuid}/progress",
        operation_id="NoteRectificationProgress",
        summary="The month's progress (月调度); a second note for the month replaces the first",
        status_code=200,
    )
    async def progress(
        self, items: NamedDependency[RectificationService], item_id: FromPath[UUID], data: JSONBody[ProgressWrite]
    ) -> ItemView:
        await items.progress(item_id, data)
        return (await item_views(items, [await items.get(item_id)]))[0]

    @post(
        "/{item_id:uuid}/done",
        operation_id="TickOffRectificationItem",
        summary="Tick the item off (销号) with a note of what was done",
        status_code=200,
    )
    async def done(
        self, items: NamedDependency[RectificationService], item_id: FromPath[UUID], data: JSONBody[DoneWrite]
    ) -> ItemView:
        return (await item_views(items, [await items.tick_off(item_id, data)]))[0]
