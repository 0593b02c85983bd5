"""The district's hotline setup: settings, service catalogue, escalation ladder and working calendar."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import ColumnElement, delete, false, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.catalogue.defaults import CATEGORIES, LADDER, columns
from services.dispatch.catalogue.models import (
    CalendarDay,
    DispatchMode,
    DispatchSettings,
    LadderLevel,
    ServiceCategory,
    ServiceItem,
)
from services.dispatch.catalogue.schemas import (
    CalendarDaySet,
    CategoryCreate,
    CategoryUpdate,
    ItemCreate,
    ItemUpdate,
    LadderLevelUpdate,
    SettingsUpdate,
)
from services.dispatch.settings import FIRST_RUNG, NOTIFY_EVERY_STAGE, remember, remember_ladder_level
from services.dispatch.stages.models import StageSetting
from shared import audit
from shared.context import require_tenant
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, ProblemError, invalid

HANDLINGS = ("on_spot", "proxy")  # done at the door, or run as an errand on the resident's behalf (DSP-26)


async def seed_district(session: AsyncSession) -> bool:
    """Give the current district its defaults once; False when it already had them (redelivery, race)."""
    created = await session.scalar(
        pg_insert(DispatchSettings)
        .values(tenant_id=require_tenant())
        .on_conflict_do_nothing(constraint="uq_dispatch_settings_tenant")
        .returning(DispatchSettings.id)
    )
    if created is None:
        return False
    for rank, spec in enumerate(CATEGORIES):
        category = ServiceCategory(**columns(spec), rank=rank)
        session.add(category)
        await session.flush()
        session.add_all(ServiceItem(**columns(i), category_id=category.id) for i in spec.items)
    session.add_all(LadderLevel(**columns(s), rank=rank) for rank, s in enumerate(LADDER))
    await session.flush()
    return True


def no_hotline() -> ProblemError:
    """A district dispatch has never heard of: 404."""
    return ProblemError(404, "this district has no hotline set up", title="Not Found")


async def district_settings(session: AsyncSession) -> DispatchSettings:
    """The current district's hotline settings; a district dispatch has never heard of is a 404."""
    row: DispatchSettings | None = await session.scalar(select(DispatchSettings))
    if row is None:
        raise no_hotline()
    return row


async def ladder(session: AsyncSession) -> list[LadderLevel]:
    return list(await session.scalars(select(LadderLevel).order_by(LadderLevel.rank)))


async def category(session: AsyncSession, category_id: UUID, field: str = "categoryId") -> ServiceCategory:
    row = await session.get(ServiceCategory, category_id)
    if row is None or not row.active:
        raise invalid(field, "not a category of this district", "no such service category in this district")
    return row


async def item(session: AsyncSession, item_id: UUID, category_id: UUID | None) -> ServiceItem:
    row = await session.get(ServiceItem, item_id)
    if row is None or not row.active:
        raise invalid("itemId", "not an item of this district", "no such service item in this district")
    if category_id is not None and row.category_id != category_id:
        raise invalid("itemId", "not an item of the given category", "the item belongs to another category")
    return row


def changes(data: msgspec.Struct) -> dict[str, Any]:
    """The fields a PATCH body actually carries (names trimmed)."""
    values = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    if isinstance(values.get("name"), str):
        values["name"] = values["name"].strip()
    return values


def taken(what: str, code: str) -> ProblemError:
    """A code already in use in this district (codes are unique per district, retired rows included)."""
    message = f"already the code of a {what} of this district"
    return ProblemError(409, f"{what} code '{code}' is taken", errors=[{"field": "body.code", "message": message}])


class CategoryRepository(Repository[ServiceCategory]):
    model_type = ServiceCategory
    noun = "service category"


Catalogue = list[tuple[ServiceCategory, list[ServiceItem]]]


class CatalogueService:
    """What staff read of the hotline setup, and what the district admin changes."""

    def __init__(self, session: AsyncSession, categories: CategoryRepository) -> None:
        self.session = session
        self.categories = categories
        self._settings: DispatchSettings | None = None
        self._held: Any = None

    async def settings(self) -> DispatchSettings:
        """The district's hotline settings (read once per request); 404 where there is no hotline."""
        if self._settings is None:
            self._settings = await district_settings(self.session)
        return self._settings

    async def settings_for_call(self, category_id: UUID | None, item_id: UUID | None) -> DispatchSettings:
        """The settings, with the call's category and item read in the same round trip (into the session, where
        ``category()`` and ``item()`` then find them): a call's intake asks for all three. The ladder's first rung
        (the new ticket's resolution clock) and whether residents hear of every step come along, remembered for
        the transaction."""
        if self._settings is None:
            every_stage = select(StageSetting.notify_every_stage).scalar_subquery()
            query = (
                select(DispatchSettings, ServiceCategory, ServiceItem, LadderLevel, every_stage)
                .select_from(DispatchSettings)
                .outerjoin(ServiceCategory, ServiceCategory.id == category_id if category_id else false())
                .outerjoin(ServiceItem, ServiceItem.id == item_id if item_id else false())
                .outerjoin(LadderLevel, LadderLevel.rank == FIRST_RUNG)
            )
            found = (await self.session.execute(query)).first()
            if found is None:
                raise no_hotline()
            self._settings, self._held = found[0], found  # held: the session's identity map keeps rows weakly
            remember_ladder_level(self.session, FIRST_RUNG, found[3])
            remember(self.session, NOTIFY_EVERY_STAGE, bool(found[4]))
        return self._settings

    async def category(self, category_id: UUID, field: str = "categoryId") -> ServiceCategory:
        return await category(self.session, category_id, field)

    async def item(self, item_id: UUID, category_id: UUID | None) -> ServiceItem:
        return await item(self.session, item_id, category_id)

    async def catalogue(self) -> Catalogue:
        """The active categories, by rank, each with its active items by code."""
        await self.settings()
        categories = await self.categories.get_many(order_by=(ServiceCategory.rank, False))
        items = await self._items()
        return [(c, [i for i in items if i.category_id == c.id]) for c in categories if c.active]

    async def _category(self, code: str) -> ServiceCategory:
        """An active category by its code; another district's is the same 404 as none."""
        await self.settings()
        row = await self.categories.get_one_or_none(ServiceCategory.code == code, ServiceCategory.active.is_(True))
        if row is None:
            raise ProblemError(404, f"no service category '{code}' in this district", title="Not Found")
        return row

    async def create_category(self, data: CategoryCreate) -> ServiceCategory:
        """A new category, last in the catalogue's order (DSP-03)."""
        await self.settings()
        errors = FieldErrors()
        errors.choice("mode", data.mode, tuple(DispatchMode))
        errors.raise_if_any("the category has invalid fields")
        if await self.session.scalar(select(ServiceCategory.id).where(ServiceCategory.code == data.code)):
            raise taken("service category", data.code)
        last = await self.session.scalar(select(func.max(ServiceCategory.rank)))
        values = {**changes(data), "rank": (last if last is not None else -1) + 1}
        row = ServiceCategory(**values)
        self.session.add(row)
        await self.session.flush()
        await self._audit("dispatch.category.created", "service_category", row.id, values)
        return row

    async def update_category(self, code: str, data: CategoryUpdate) -> tuple[ServiceCategory, list[ServiceItem]]:
        row = await self._category(code)
        values = changes(data)
        if "mode" in values and values["mode"] not in tuple(DispatchMode):
            raise invalid("mode", f"one of: {', '.join(DispatchMode)}")
        for key, value in values.items():
            setattr(row, key, value)
        await self._audit("dispatch.category.updated", "service_category", row.id, values)
        await self.session.flush()
        items = await self._items(ServiceItem.category_id == row.id)
        return row, items

    async def create_item(self, code: str, data: ItemCreate) -> ServiceItem:
        category = await self._category(code)
        errors = FieldErrors()
        errors.choice("handling", data.handling, HANDLINGS)
        errors.raise_if_any("the item has invalid fields")
        if await self.session.scalar(select(ServiceItem.id).where(ServiceItem.code == data.code)):
            raise taken("service item", data.code)
        values = changes(data)
        row = ServiceItem(**values, category_id=category.id)
        self.session.add(row)
        await self.session.flush()
        await self._audit("dispatch.item.created", "service_item", row.id, values)
        return row

    async def update_item(self, code: str, item_code: str, data: ItemUpdate) -> ServiceItem:
        """An active item of the category changed, or taken out of use (``active: false``)."""
        category = await self._category(code)
        query = select(ServiceItem).where(
            ServiceItem.category_id == category.id, ServiceItem.code == item_code, ServiceItem.active
        )
        row = await self.session.scalar(query)
        if row is None:
            raise ProblemError(404, f"no service item '{item_code}' in category '{code}'", title="Not Found")
        values = changes(data)
        errors = FieldErrors()
        errors.choice("handling", values.get("handling"), HANDLINGS)
        errors.raise_if_any("the item has invalid fields")
        for key, value in values.items():
            setattr(row, key, value)
        await self._audit("dispatch.item.updated", "service_item", row.id, values)
        await self.session.flush()
        return row

    async def ladder(self) -> list[LadderLevel]:
        await self.settings()
        return await ladder(self.session)

    async def update_level(self, rank: int, data: LadderLevelUpdate) -> LadderLevel:
        """A rung renamed or given its own resolution limit; cases already at that rung keep their running clock."""
        await self.settings()
        row = await self.session.scalar(select(LadderLevel).where(LadderLevel.rank == rank))
        if row is None:
            raise ProblemError(404, f"no ladder level {rank} in this district", title="Not Found")
        values = changes(data)
        for key, value in values.items():
            setattr(row, key, value)
        await self._audit("dispatch.ladder.updated", "ladder_level", row.id, values)
        await self.session.flush()
        return row

    async def update_settings(self, data: SettingsUpdate) -> DispatchSettings:
        row = await self.settings()
        values = changes(data)
        for key, value in values.items():
            setattr(row, key, sorted(set(value)) if key == "working_weekdays" else value)
        if row.work_starts >= row.work_ends:
            raise invalid("workEnds", "the working day must end after it starts")
        await self._audit("dispatch.settings.updated", "dispatch_settings", row.id, values)
        return row

    async def calendar(self) -> list[CalendarDay]:
        return list(await self.session.scalars(select(CalendarDay).order_by(CalendarDay.day)))

    async def set_day(self, day: date, data: CalendarDaySet) -> None:
        """A holiday or a (make-up) working day, replacing whatever the day was marked before."""
        await self.session.execute(
            pg_insert(CalendarDay)
            .values(tenant_id=require_tenant(), day=day, is_working=data.is_working, label=data.label)
            .on_conflict_do_update(
                constraint="uq_calendar_day_tenant_day", set_={"is_working": data.is_working, "label": data.label}
            )
        )
        await audit.record(
            self.session, "dispatch.calendar.set", subject_type="calendar_day", subject_id=day.isoformat()
        )

    async def clear_day(self, day: date) -> None:
        """The day goes back to the working week's rule; a day not marked here is a 404."""
        await self.settings()
        gone = await self.session.scalar(delete(CalendarDay).where(CalendarDay.day == day).returning(CalendarDay.id))
        if gone is None:
            raise ProblemError(404, f"{day.isoformat()} is not marked in this district's calendar", title="Not Found")
        await audit.record(
            self.session, "dispatch.calendar.cleared", subject_type="calendar_day", subject_id=day.isoformat()
        )

    async def _items(self, *where: ColumnElement[bool]) -> list[ServiceItem]:
        """Active items, by code."""
        query = select(ServiceItem).where(*where, ServiceItem.active).order_by(ServiceItem.code)
        return list(await self.session.scalars(query))

    async def _audit(self, action: str, subject_type: str, subject_id: UUID, values: dict[str, Any]) -> None:
        detail = {"fields": sorted(values)}
        await audit.record(self.session, action, subject_type=subject_type, subject_id=str(subject_id), detail=detail)
