"""Dates as the district keeps them: China's calendar days (Asia/Shanghai), whatever the server's zone."""

from __future__ import annotations

from datetime import date, datetime, time

from shared.clock import CHINA, now

ZONE = CHINA


def today() -> date:
    return now().astimezone(ZONE).date()


def year_end(day: date) -> date:
    return date(day.year, 12, 31)


def a_year_on(day: date) -> date:
    """The same day a year later; 29 February falls on 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZONE)
