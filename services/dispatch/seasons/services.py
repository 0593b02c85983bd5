"""The four-season programmes [004]. The district administrator opens a season's programme for a year (its dates
default to the season's months; winter's runs from December into February, over New Year and the Spring
Festival). Staff record its activities in the villages and streets they may see; the summer programme also keeps
its free herbal-tea points, each with the member volunteers on duty and the cups poured. The report sums a
season per street.

Hotline staff see every activity and tea point of the district; other staff those of the units in their subtree."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from services.dispatch.access import is_operator
from services.dispatch.campaigns.units import Unit, find_unit
from services.dispatch.providers.models import Provider, ProviderKind
from services.dispatch.seasons.models import Season, SeasonActivity, SeasonProgramme, TeaPoint
from services.dispatch.seasons.schemas import (
    ActivityCreate,
    ProgrammeCreate,
    ProgrammeView,
    SeasonReport,
    StreetLine,
    TeaPointCreate,
    TeaPointServed,
)
from shared import audit
from shared.auth.principal import Principal, Role
from shared.clock import now
from shared.http.problems import FieldErrors, ProblemError, conflict, missing
from shared.http.views import view

BRANDS = {Season.SPRING: "春季调训", Season.SUMMER: "夏送清凉", Season.AUTUMN: "金秋送学", Season.WINTER: "冬送温暖"}
MONTHS = {Season.SPRING: (3, 5), Season.SUMMER: (6, 8), Season.AUTUMN: (9, 11), Season.WINTER: (12, 14)}


def season_dates(year: int, season: Season) -> tuple[date, date]:
    """The season's months in ``year``; winter's run on to the end of the next February."""
    first, last = MONTHS[season]
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1
    return date(year, first, 1), date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])


def street_of(unit: Unit) -> str:
    return unit.name if unit.level == "street" else unit.street_name or unit.name


class SeasonService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def in_scope(self, path: InstrumentedAttribute[str]) -> ColumnElement[bool]:
        """Rows of the units the caller may see: every one for hotline staff, their subtree's for others."""
        scope = self.principal.scope
        if is_operator(self.principal) or scope is None:
            return true()
        return and_(path >= scope, path < scope + "~")

    async def create(self, data: ProgrammeCreate) -> SeasonProgramme:
        if not self.principal.has_role(Role.DISTRICT_ADMIN):
            raise ProblemError(403, "only the district administrator opens a season's programme", title="Forbidden")
        errors = FieldErrors()
        errors.choice("season", data.season, Season)
        errors.raise_if_any("the programme has invalid fields")
        season = Season(data.season)
        default_start, default_end = season_dates(data.year, season)
        starts, ends = data.starts_on or default_start, data.ends_on or default_end
        if starts.year != data.year:
            errors.add("startsOn", f"must fall in {data.year}")
        if ends < starts:
            errors.add("endsOn", "must not be before startsOn")
        elif ends - starts > timedelta(days=366):
            errors.add("endsOn", "a season's programme lasts a year at most")
        errors.raise_if_any("the programme has invalid fields")
        taken = await self.session.scalar(
            select(SeasonProgramme.id).where(SeasonProgramme.year == data.year, SeasonProgramme.season == season)
        )
        if taken is not None:
            raise conflict(f"the district already has its {season} programme of {data.year}")
        programme = SeasonProgramme(
            year=data.year,
            season=season,
            title=(data.title or BRANDS[season]).strip(),
            summary=data.summary.strip() if data.summary else None,
            starts_on=starts,
            ends_on=ends,
            created_by_name=self.principal.name,
            created_at=now(),
        )
        self.session.add(programme)
        await self.session.flush()
        await audit.record(
            self.session,
            "dispatch.season.programme_opened",
            subject_type="season_programme",
            subject_id=str(programme.id),
            detail={"year": data.year, "season": str(season)},
        )
        return programme

    async def get(self, programme_id: UUID) -> SeasonProgramme:
        programme: SeasonProgramme | None = await self.session.get(SeasonProgramme, programme_id)
        if programme is None:  # RLS hides another district's
            raise missing("season programme")
        return programme

    async def of_year(self, year: int) -> list[SeasonProgramme]:
        rows = await self.session.scalars(select(SeasonProgramme).where(SeasonProgramme.year == year))
        order = list(Season)
        return sorted(rows, key=lambda p: order.index(Season(p.season)))

    async def views(self, programmes: Iterable[SeasonProgramme]) -> list[ProgrammeView]:
        """The programmes with what the caller may see of them summed up."""
        programmes = list(programmes)
        ids = [p.id for p in programmes]
        done: dict[UUID, tuple[int, int, int]] = {}
        tea: dict[UUID, tuple[int, int]] = {}
        if ids:
            rows = await self.session.execute(
                select(
                    SeasonActivity.programme_id,
                    func.count(),
                    func.coalesce(func.sum(SeasonActivity.members), 0),
                    func.coalesce(func.sum(SeasonActivity.served), 0),
                )
                .where(SeasonActivity.programme_id.in_(ids), self.in_scope(SeasonActivity.unit_path))
                .group_by(SeasonActivity.programme_id)
            )
            done = {pid: (int(n), int(members), int(served)) for pid, n, members, served in rows.all()}
            points = await self.session.execute(
                select(TeaPoint.programme_id, func.count(), func.coalesce(func.sum(TeaPoint.cups), 0))
                .where(TeaPoint.programme_id.in_(ids), self.in_scope(TeaPoint.unit_path))
                .group_by(TeaPoint.programme_id)
            )
            tea = {pid: (int(n), int(cups)) for pid, n, cups in points.all()}
        result = []
        for p in programmes:
            activities, members, served = done.get(p.id, (0, 0, 0))
            tea_points, cups = tea.get(p.id, (0, 0))
            result.append(
                view(
                    ProgrammeView,
                    p,
                    activities=activities,
                    members=members,
                    served=served,
                    tea_points=tea_points,
                    cups=cups,
                )
            )
        return result

    def _within(self, errors: FieldErrors, programme: SeasonProgramme, field: str, day: date) -> None:
        if not programme.starts_on <= day <= programme.ends_on:
            errors.add(field, f"must fall within the programme, {programme.starts_on} to {programme.ends_on}")

    async def add_activity(self, programme_id: UUID, data: ActivityCreate) -> SeasonActivity:
        programme = await self.get(programme_id)
        errors = FieldErrors()
        self._within(errors, programme, "heldOn", data.held_on)
        errors.raise_if_any("the activity has invalid fields")
        unit = await find_unit(self.session, self.principal, data.unit_id)
        activity = SeasonActivity(
            programme_id=programme.id,
            held_on=data.held_on,
            unit_id=unit.id,
            unit_name=unit.name,
            unit_level=unit.level,
            unit_path=unit.path,
            street_name=street_of(unit),
            what=data.what.strip(),
            members=data.members,
            served=data.served,
            recorded_by_name=self.principal.name,
            recorded_at=now(),
        )
        self.session.add(activity)
        await self.session.flush()
        return activity

    async def activities(self, programme_id: UUID, street: str | None, limit: int) -> list[SeasonActivity]:
        await self.get(programme_id)
        query = select(SeasonActivity).where(
            SeasonActivity.programme_id == programme_id, self.in_scope(SeasonActivity.unit_path)
        )
        if street:
            query = query.where(SeasonActivity.street_name == street)
        ordered = query.order_by(SeasonActivity.held_on.desc(), SeasonActivity.unit_name).limit(limit)
        return list(await self.session.scalars(ordered))

    async def add_tea_point(self, programme_id: UUID, data: TeaPointCreate) -> TeaPoint:
        programme = await self.get(programme_id)
        if programme.season != Season.SUMMER:
            raise conflict("tea points belong to the summer programme (夏送清凉)")
        errors = FieldErrors()
        self._within(errors, programme, "opensOn", data.opens_on)
        self._within(errors, programme, "closesOn", data.closes_on)
        if data.closes_on < data.opens_on:
            errors.add("closesOn", "must not be before opensOn")
        if data.closes_at <= data.opens_at:
            errors.add("closesAt", "must be after opensAt")
        on_duty = list(dict.fromkeys(data.on_duty))
        members = {
            p.id: p
            for p in await self.session.scalars(
                select(Provider).where(Provider.id.in_(on_duty), Provider.kind == ProviderKind.MEMBER_VOLUNTEER)
            )
        }
        if len(members) != len(on_duty):  # another district's provider is not found here either
            errors.add("onDuty", "each must be a member volunteer of this district")
        errors.raise_if_any("the tea point has invalid fields")
        unit = await find_unit(self.session, self.principal, data.unit_id)
        point = TeaPoint(
            programme_id=programme.id,
            place=data.place.strip(),
            unit_id=unit.id,
            unit_name=unit.name,
            unit_level=unit.level,
            unit_path=unit.path,
            street_name=street_of(unit),
            opens_on=data.opens_on,
            closes_on=data.closes_on,
            opens_at=data.opens_at,
            closes_at=data.closes_at,
            on_duty_ids=on_duty,
            on_duty_names=[members[i].name for i in on_duty],
            cups=data.cups,
            served=data.served,
            recorded_by_name=self.principal.name,
            recorded_at=now(),
        )
        self.session.add(point)
        await self.session.flush()
        return point

    async def tea_points(self, programme_id: UUID, street: str | None, limit: int) -> list[TeaPoint]:
        await self.get(programme_id)
        query = select(TeaPoint).where(TeaPoint.programme_id == programme_id, self.in_scope(TeaPoint.unit_path))
        if street:
            query = query.where(TeaPoint.street_name == street)
        ordered = query.order_by(TeaPoint.street_name, TeaPoint.unit_name, TeaPoint.place).limit(limit)
        return list(await self.session.scalars(ordered))

    async def record_served(self, programme_id: UUID, point_id: UUID, data: TeaPointServed) -> TeaPoint:
        await self.get(programme_id)
        point: TeaPoint | None = await self.session.scalar(
            select(TeaPoint).where(
                TeaPoint.id == point_id, TeaPoint.programme_id == programme_id, self.in_scope(TeaPoint.unit_path)
            )
        )
        if point is None:
            raise missing("tea point")
        point.cups, point.served = data.cups, data.served
        await self.session.flush()
        return point

    async def report(self, programme_id: UUID) -> SeasonReport:
        programme = await self.get(programme_id)
        lines: dict[str, StreetLine] = {}
        rows = await self.session.execute(
            select(
                SeasonActivity.street_name,
                func.count(),
                func.coalesce(func.sum(SeasonActivity.members), 0),
                func.coalesce(func.sum(SeasonActivity.served), 0),
            )
            .where(SeasonActivity.programme_id == programme.id, self.in_scope(SeasonActivity.unit_path))
            .group_by(SeasonActivity.street_name)
        )
        for street, n, members, served in rows.all():
            line = lines.setdefault(street, StreetLine(street_name=street))
            line.activities, line.members, line.served = int(n), int(members), int(served)
        points = await self.session.execute(
            select(
                TeaPoint.street_name,
                func.count(),
                func.coalesce(func.sum(TeaPoint.cups), 0),
                func.coalesce(func.sum(TeaPoint.served), 0),
            )
            .where(TeaPoint.programme_id == programme.id, self.in_scope(TeaPoint.unit_path))
            .group_by(TeaPoint.street_name)
        )
        for street, n, cups, served in points.all():
            line = lines.setdefault(street, StreetLine(street_name=street))
            line.tea_points, line.cups, line.tea_served = int(n), int(cups), int(served)
        streets = sorted(lines.values(), key=lambda line: line.street_name)
        total = StreetLine(
            street_name="",
            activities=sum(s.activities for s in streets),
            members=sum(s.members for s in streets),
            served=sum(s.served for s in streets),
            tea_points=sum(s.tea_points for s in streets),
            cups=sum(s.cups for s in streets),
            tea_served=sum(s.tea_served for s in streets),
        )
        return SeasonReport(programme=(await self.views([programme]))[0], streets=streets, total=total)
