"""The district's working calendar: working weekdays and hours, holidays and make-up working days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import CalendarDay, DispatchSettings


async def add_working_minutes(session: AsyncSession, start: datetime, minutes: int) -> datetime:
    """``start`` plus ``minutes`` of working time: only working hours of working days count."""
    settings = await session.scalar(select(DispatchSettings))
    if settings is None:
        return start + timedelta(minutes=minutes)
    zone = ZoneInfo(settings.timezone)
    local = start.astimezone(zone)
    horizon = local.date() + timedelta(days=minutes // 60 + 400)  # bounded: at most a year of holidays ahead
    exceptions = {
        row.day: row.is_working
        for row in await session.scalars(
            select(CalendarDay).where(CalendarDay.day >= local.date(), CalendarDay.day <= horizon)
        )
    }

    def working(day: date) -> bool:
        return exceptions.get(day, day.isoweekday() in settings.working_weekdays)

    left = timedelta(minutes=minutes)
    day = local.date()
    while True:
        if working(day):
            opens = datetime.combine(day, settings.work_starts, zone)
            closes = datetime.combine(day, settings.work_ends, zone)
            begin = max(opens, local)
            if begin < closes:
                if begin + left <= closes:
                    return begin + left
                left -= closes - begin
        day += timedelta(days=1)
        if day > horizon:
            msg = "no working time within a year of the start; check the district's calendar"
            raise ValueError(msg)


async def district_zone(session: AsyncSession) -> ZoneInfo:
    """The district's time zone (Asia/Shanghai until a district says otherwise)."""
    settings = await session.scalar(select(DispatchSettings))
    return ZoneInfo(settings.timezone if settings is not None else "Asia/Shanghai")


async def end_of_day(session: AsyncSession, day: date) -> datetime:
    """The first instant after ``day`` in the district: a deadline "by 12 May" runs until midnight local time."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), await district_zone(session))
