"""The district's hotline setup (DSP-03, DSP-14, GW-07): read by staff, changed by the district admin."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
from litestar import Controller, get, patch, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import STAFF
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
from services.dispatch.catalogue.services import district_settings, ladder
from services.dispatch.models import CalendarDay, DispatchMode, DispatchSettings, ServiceCategory, ServiceItem
from shared import audit
from shared.auth.principal import Role
from shared.context import require_tenant
from shared.http.guards import requires_role, requires_tenant
from shared.http.problems import ProblemError, invalid


def settings_view(row: DispatchSettings) -> SettingsView:
    return SettingsView(
        hotline_number=row.hotline_number, arrival_limit_minutes=row.arrival_limit_minutes,
        offer_timeout_seconds=row.offer_timeout_seconds, duplicate_window_days=row.duplicate_window_days,
        red_after_minutes=row.red_after_minutes, working_weekdays=list(row.working_weekdays),
        work_starts=row.work_starts, work_ends=row.work_ends, timezone=row.timezone, webhook_url=row.webhook_url,
    )  # fmt: skip


def category_view(c: ServiceCategory, items: list[ServiceItem]) -> CategoryView:
    return CategoryView(
        id=c.id, code=c.code, name=c.name, mode=c.mode, sign_for_minutes=c.sign_for_minutes,
        arrival_minutes=c.arrival_minutes, resolution_minutes=c.resolution_minutes, working_time=c.working_time,
        items=[ItemView(id=i.id, code=i.code, name=i.name, handling=i.handling, skill=i.skill) for i in items],
    )  # fmt: skip


def changes(data: msgspec.Struct) -> dict[str, Any]:
    return {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}


class CatalogueController(Controller):
    path = "/api/dispatch"
    tags = ["Hotline setup"]
    guards = [requires_tenant, requires_role(*STAFF)]

    @get("/catalogue", operation_id="ListServiceCatalogue", summary="Categories and their items, with clocks")
    async def catalogue(self, db_session: NamedDependency[AsyncSession]) -> list[CategoryView]:
        await district_settings(db_session)
        categories = list(await db_session.scalars(select(ServiceCategory).order_by(ServiceCategory.rank)))
        items = list(await db_session.scalars(select(ServiceItem).where(ServiceItem.active).order_by(ServiceItem.code)))
        return [category_view(c, [i for i in items if i.category_id == c.id]) for c in categories if c.active]

    @patch("/catalogue/{code:str}", operation_id="UpdateServiceCategory", summary="Change a category's mode or clocks",
           guards=[requires_role(Role.DISTRICT_ADMIN)])  # fmt: skip
    async def update_category(
        self, db_session: NamedDependency[AsyncSession], code: FromPath[str], data: JSONBody[CategoryUpdate]
    ) -> CategoryView:
        row = await db_session.scalar(select(ServiceCategory).where(ServiceCategory.code == code))
        if row is None:
            raise ProblemError(404, f"no service category '{code}' in this district", title="Not Found")
        values = changes(data)
        if "mode" in values and values["mode"] not in tuple(DispatchMode):
            raise invalid("mode", f"one of: {', '.join(DispatchMode)}")
        for key, value in values.items():
            setattr(row, key, value)
        await audit.record(db_session, "dispatch.category.updated", subject_type="service_category",
                           subject_id=str(row.id), detail={"fields": sorted(values)})  # fmt: skip
        await db_session.flush()
        items = await db_session.scalars(
            select(ServiceItem).where(ServiceItem.category_id == row.id, ServiceItem.active).order_by(ServiceItem.code)
        )
        return category_view(row, list(items))

    @get("/ladder", operation_id="GetEscalationLadder", summary="The district's escalation ladder, grid first")
    async def get_ladder(self, db_session: NamedDependency[AsyncSession]) -> list[LadderLevelView]:
        await district_settings(db_session)
        return [
            LadderLevelView(rank=level.rank, code=level.code, name=level.name, org_level=level.org_level,
                            resolution_minutes=level.resolution_minutes, issues_referral=level.issues_referral)
            for level in await ladder(db_session)
        ]  # fmt: skip

    @get("/settings", operation_id="GetHotlineSettings", summary="Arrival pledge, offer time-out, working calendar")
    async def get_settings(self, db_session: NamedDependency[AsyncSession]) -> SettingsView:
        return settings_view(await district_settings(db_session))

    @patch("/settings", operation_id="UpdateHotlineSettings", summary="Change the hotline's rules",
           guards=[requires_role(Role.DISTRICT_ADMIN)])  # fmt: skip
    async def update_settings(
        self, db_session: NamedDependency[AsyncSession], data: JSONBody[SettingsUpdate]
    ) -> SettingsView:
        row = await district_settings(db_session)
        values = changes(data)
        for key, value in values.items():
            setattr(row, key, sorted(set(value)) if key == "working_weekdays" else value)
        if row.work_starts >= row.work_ends:
            raise invalid("workEnds", "the working day must end after it starts")
        await audit.record(db_session, "dispatch.settings.updated", subject_type="dispatch_settings",
                           subject_id=str(row.id), detail={"fields": sorted(values)})  # fmt: skip
        return settings_view(row)

    @get("/calendar", operation_id="ListCalendarDays", summary="Holidays and make-up working days")
    async def calendar(self, db_session: NamedDependency[AsyncSession]) -> list[CalendarDayView]:
        rows = await db_session.scalars(select(CalendarDay).order_by(CalendarDay.day))
        return [CalendarDayView(day=r.day, is_working=r.is_working, label=r.label) for r in rows]

    @put("/calendar/{day:date}", operation_id="SetCalendarDay", summary="Mark a day as a holiday or a working day",
         guards=[requires_role(Role.DISTRICT_ADMIN)])  # fmt: skip
    async def set_day(
        self, db_session: NamedDependency[AsyncSession], day: FromPath[date], data: JSONBody[CalendarDaySet]
    ) -> CalendarDayView:
        await db_session.execute(
            pg_insert(CalendarDay)
            .values(tenant_id=require_tenant(), day=day, is_working=data.is_working, label=data.label)
            .on_conflict_do_update(
                constraint="uq_calendar_day_tenant_day", set_={"is_working": data.is_working, "label": data.label}
            )
        )
        await audit.record(db_session, "dispatch.calendar.set", subject_type="calendar_day", subject_id=day.isoformat())
        return CalendarDayView(day=day, is_working=data.is_working, label=data.label)
