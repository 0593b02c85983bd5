"""Campaign days (DSP-13 [000]): Yaoxi holds a mass-service day on the 25th of every month and sends street cadres
and village branch members out in red vests printed with their names every Tuesday. A day is recorded for a
village or street on the district's day of its kind; its roster says from when, who, in which vest, and what
matter, and each line counts the people served.

Hotline staff see every day of the district; other staff the days of the units in their subtree.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import is_operator
from services.dispatch.campaigns.models import CampaignCalendar, CampaignDay, CampaignDuty, CampaignKind, DutyRole
from services.dispatch.campaigns.schemas import CalendarUpdate, CampaignCreate, DutyCreate
from services.dispatch.campaigns.units import find_unit
from services.dispatch.providers.models import Provider, ProviderKind
from shared import audit
from shared.auth.principal import Principal, Role
from shared.clock import now
from shared.http.problems import FieldErrors, ProblemError, conflict, invalid, missing

TITLES = {CampaignKind.MASS_SERVICE: "集中服务日", CampaignKind.RED_VEST: "红马甲日"}


def falls_on(kind: str, day: date, rhythm: CampaignCalendar) -> bool:
    if kind == CampaignKind.MASS_SERVICE:
        return day.day == rhythm.mass_service_day
    return day.isoweekday() == rhythm.red_vest_weekday


def campaign_dates(year: int, month: int, rhythm: CampaignCalendar) -> list[tuple[date, str]]:
    """The month's campaign dates by the district's rhythm, in order (a Tuesday 25th holds both)."""
    days = [date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    return [(d, kind) for d in days for kind in CampaignKind if falls_on(kind, d, rhythm)]


class CampaignService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def visible(self, query: Select[Any]) -> Select[Any]:
        scope = self.principal.scope
        if is_operator(self.principal) or scope is None:
            return query
        return query.where(CampaignDay.unit_path >= scope, CampaignDay.unit_path < scope + "~")

    async def rhythm(self) -> CampaignCalendar:
        row = await self.session.scalar(select(CampaignCalendar))
        # Until its administrator sets one, a district keeps Yaoxi's rhythm: the 25th and Tuesdays (not stored).
        return row if row is not None else CampaignCalendar(mass_service_day=25, red_vest_weekday=2)

    async def set_rhythm(self, data: CalendarUpdate) -> CampaignCalendar:
        if not self.principal.has_role(Role.DISTRICT_ADMIN):
            raise ProblemError(403, "only the district administrator sets the campaign calendar", title="Forbidden")
        row = await self.rhythm()
        if row not in self.session:
            self.session.add(row)
        if data.mass_service_day is not None:
            row.mass_service_day = data.mass_service_day
        if data.red_vest_weekday is not None:
            row.red_vest_weekday = data.red_vest_weekday
        await self.session.flush()
        await audit.record(
            self.session,
            "dispatch.campaign.calendar",
            subject_type="campaign_calendar",
            subject_id=str(row.id),
            detail={"massServiceDay": row.mass_service_day, "redVestWeekday": row.red_vest_weekday},
        )
        return row

    async def create(self, data: CampaignCreate) -> CampaignDay:
        errors = FieldErrors()
        errors.choice("kind", data.kind, CampaignKind)
        errors.raise_if_any("the campaign day has invalid fields")
        rhythm = await self.rhythm()
        if not falls_on(data.kind, data.held_on, rhythm):
            rule = (
                f"the district's mass-service day is the {rhythm.mass_service_day}th of the month"
                if data.kind == CampaignKind.MASS_SERVICE
                else f"the district's red-vest day is weekday {rhythm.red_vest_weekday} (Monday=1)"
            )
            raise invalid("heldOn", f"not a {data.kind} day: {rule}")
        unit = await find_unit(self.session, self.principal, data.unit_id)
        taken = await self.session.scalar(
            select(CampaignDay.id).where(
                CampaignDay.unit_id == unit.id, CampaignDay.kind == data.kind, CampaignDay.held_on == data.held_on
            )
        )
        if taken is not None:
            raise conflict(f"{unit.name} already has this {data.kind} day on {data.held_on.isoformat()}")
        day = CampaignDay(
            kind=data.kind,
            held_on=data.held_on,
            title=(data.title or f"{unit.name}{TITLES[CampaignKind(data.kind)]}").strip(),
            unit_id=unit.id,
            unit_name=unit.name,
            unit_level=unit.level,
            unit_path=unit.path,
            recorded_by_name=self.principal.name,
            recorded_at=now(),
        )
        self.session.add(day)
        await self.session.flush()
        return day

    async def get(self, day_id: UUID) -> CampaignDay:
        day: CampaignDay | None = await self.session.scalar(
            self.visible(select(CampaignDay).where(CampaignDay.id == day_id))
        )
        if day is None:
            raise missing("campaign day")
        return day

    async def page(self, start: date | None, end: date | None, kind: str | None, limit: int) -> list[CampaignDay]:
        query = self.visible(select(CampaignDay))
        if start is not None:
            query = query.where(CampaignDay.held_on >= start)
        if end is not None:
            query = query.where(CampaignDay.held_on <= end)
        if kind is not None:
            query = query.where(CampaignDay.kind == kind)
        ordered = query.order_by(CampaignDay.held_on.desc(), CampaignDay.unit_name).limit(limit)
        return list(await self.session.scalars(ordered))

    async def totals(self, day_ids: list[UUID]) -> dict[UUID, tuple[int, int]]:
        """Per day: (people served, roster lines)."""
        if not day_ids:
            return {}
        rows = await self.session.execute(
            select(CampaignDuty.campaign_day_id, func.coalesce(func.sum(CampaignDuty.served), 0), func.count())
            .where(CampaignDuty.campaign_day_id.in_(day_ids))
            .group_by(CampaignDuty.campaign_day_id)
        )
        return {day: (int(served), int(count)) for day, served, count in rows.all()}

    async def roster(self, day: CampaignDay) -> list[CampaignDuty]:
        rows = await self.session.scalars(
            select(CampaignDuty)
            .where(CampaignDuty.campaign_day_id == day.id)
            .order_by(CampaignDuty.starts_at, CampaignDuty.person_name)
        )
        return list(rows)

    async def add_duty(self, day_id: UUID, data: DutyCreate) -> CampaignDay:
        day = await self.get(day_id)
        errors = FieldErrors()
        errors.choice("role", data.role, DutyRole)
        if data.ends_at is not None and data.ends_at <= data.starts_at:
            errors.add("endsAt", "must be after startsAt")
        errors.raise_if_any("the roster line has invalid fields")
        member = await self.session.scalar(
            select(Provider).where(Provider.id == data.provider_id, Provider.kind == ProviderKind.MEMBER_VOLUNTEER)
        )
        if member is None:  # another district's provider is not found here either
            raise invalid("providerId", "not a member volunteer of this district")
        self.session.add(
            CampaignDuty(
                campaign_day_id=day.id,
                starts_at=data.starts_at,
                ends_at=data.ends_at,
                provider_id=member.id,
                person_name=member.name,
                role=data.role,
                vest=data.vest.strip(),
                matter=data.matter.strip(),
                served=data.served,
            )
        )
        await self.session.flush()
        return day

    async def record_served(self, day_id: UUID, duty_id: UUID, served: int) -> CampaignDay:
        day = await self.get(day_id)
        duty = await self.session.scalar(
            select(CampaignDuty).where(CampaignDuty.id == duty_id, CampaignDuty.campaign_day_id == day.id)
        )
        if duty is None:
            raise missing("roster line")
        duty.served = served
        await self.session.flush()
        return day

    async def members(self) -> list[Provider]:
        rows = await self.session.scalars(
            select(Provider)
            .where(Provider.kind == ProviderKind.MEMBER_VOLUNTEER, Provider.active)
            .order_by(Provider.name, Provider.id)
            .limit(500)
        )
        return list(rows)
