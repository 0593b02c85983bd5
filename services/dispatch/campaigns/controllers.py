"""Campaign days (DSP-13) over HTTP: the district's calendar, days with their rosters and people served."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import STAFF
from services.dispatch.campaigns.models import CampaignCalendar, CampaignDay, CampaignDuty, CampaignKind
from services.dispatch.campaigns.schemas import (
    CalendarDate,
    CalendarUpdate,
    CalendarView,
    CampaignCreate,
    CampaignView,
    DutyCreate,
    DutyView,
    MemberOption,
    ServedUpdate,
    UnitOption,
)
from services.dispatch.campaigns.services import CampaignService, campaign_dates
from services.dispatch.campaigns.units import all_units
from shared.clock import china_today
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.problems import invalid
from shared.http.views import view, views

Kind = Annotated[str | None, QueryParameter(name="kind", pattern="^(" + "|".join(CampaignKind) + ")$")]
Month = Annotated[str | None, QueryParameter(name="month", description="YYYY-MM; this month by default")]


def campaign_view(
    day: CampaignDay, totals: tuple[int, int] = (0, 0), roster: list[CampaignDuty] | None = None
) -> CampaignView:
    return view(
        CampaignView,
        day,
        people_served=totals[0],
        duties=totals[1],
        roster=views(DutyView, roster) if roster is not None else None,
    )


def month_of(text: str | None) -> tuple[int, int]:
    if text is None:
        today = china_today()
        return today.year, today.month
    found = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if found is None or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2100:
        raise invalid("query.month", "a month as YYYY-MM")
    return int(found[1]), int(found[2])


class CampaignController(Controller):
    path = "/api/dispatch/campaigns"
    tags = ["Campaign days"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"campaigns": provide_service(CampaignService)}

    async def _full(self, campaigns: CampaignService, day: CampaignDay) -> CampaignView:
        roster = await campaigns.roster(day)
        return campaign_view(day, (sum(d.served for d in roster), len(roster)), roster)

    async def _calendar(self, campaigns: CampaignService, month: str | None) -> CalendarView:
        year, number = month_of(month)
        rhythm: CampaignCalendar = await campaigns.rhythm()
        dates = campaign_dates(year, number, rhythm)
        days = await campaigns.page(dates[0][0] if dates else None, dates[-1][0] if dates else None, None, 500)
        totals = await campaigns.totals([d.id for d in days])
        return CalendarView(
            mass_service_day=rhythm.mass_service_day,
            red_vest_weekday=rhythm.red_vest_weekday,
            month=f"{year:04d}-{number:02d}",
            dates=[
                CalendarDate(
                    day=when,
                    kind=kind,
                    campaigns=[
                        campaign_view(d, totals.get(d.id, (0, 0))) for d in days if d.held_on == when and d.kind == kind
                    ],
                )
                for when, kind in dates
            ],
        )

    @get("/calendar", operation_id="CampaignCalendar", summary="The month's campaign dates with the days recorded")
    async def calendar(self, campaigns: NamedDependency[CampaignService], month: Month = None) -> CalendarView:
        return await self._calendar(campaigns, month)

    @patch(
        "/calendar",
        operation_id="SetCampaignCalendar",
        summary="Set the mass-service day of the month and the red-vest weekday (district admin)",
    )
    async def set_calendar(
        self, campaigns: NamedDependency[CampaignService], data: JSONBody[CalendarUpdate]
    ) -> CalendarView:
        await campaigns.set_rhythm(data)
        return await self._calendar(campaigns, None)

    @get("/units", operation_id="CampaignUnits", summary="Villages and streets the caller may hold days in")
    async def units(self, campaigns: NamedDependency[CampaignService]) -> list[UnitOption]:
        found = await all_units(campaigns.session, campaigns.principal)
        return [UnitOption(id=u.id, name=u.name, level=u.level, street_name=u.street_name) for u in found]

    @get("/members", operation_id="CampaignMembers", summary="Member volunteers who may stand on a roster")
    async def members(self, campaigns: NamedDependency[CampaignService]) -> list[MemberOption]:
        return [MemberOption(provider_id=p.id, name=p.name) for p in await campaigns.members()]

    @post("/", operation_id="RecordCampaignDay", summary="Record a campaign day on the district's day of its kind")
    async def create(self, campaigns: NamedDependency[CampaignService], data: JSONBody[CampaignCreate]) -> CampaignView:
        return campaign_view(await campaigns.create(data), roster=[])

    @get("/", operation_id="ListCampaignDays", summary="Campaign days the caller may see, newest first")
    async def list_days(
        self,
        campaigns: NamedDependency[CampaignService],
        kind: Kind = None,
        start: Annotated[date | None, QueryParameter(name="from")] = None,
        end: Annotated[date | None, QueryParameter(name="to")] = None,
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=200)] = 50,
    ) -> list[CampaignView]:
        days = await campaigns.page(start, end, kind, limit)
        totals = await campaigns.totals([d.id for d in days])
        return [campaign_view(d, totals.get(d.id, (0, 0))) for d in days]

    @get("/{day_id:uuid}", operation_id="GetCampaignDay", summary="One campaign day with its roster")
    async def get_day(self, campaigns: NamedDependency[CampaignService], day_id: FromPath[UUID]) -> CampaignView:
        return await self._full(campaigns, await campaigns.get(day_id))

    @post("/{day_id:uuid}/roster", operation_id="AddCampaignDuty", summary="Put a member on the day's roster")
    async def add_duty(
        self, campaigns: NamedDependency[CampaignService], day_id: FromPath[UUID], data: JSONBody[DutyCreate]
    ) -> CampaignView:
        return await self._full(campaigns, await campaigns.add_duty(day_id, data))

    @patch(
        "/{day_id:uuid}/roster/{duty_id:uuid}",
        operation_id="RecordCampaignServed",
        summary="Record how many people a roster line served",
    )
    async def served(
        self,
        campaigns: NamedDependency[CampaignService],
        day_id: FromPath[UUID],
        duty_id: FromPath[UUID],
        data: JSONBody[ServedUpdate],
    ) -> CampaignView:
        return await self._full(campaigns, await campaigns.record_served(day_id, duty_id, data.served))
