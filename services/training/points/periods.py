"""Periods the ledger is totalled over, as the district counts them: calendar years, quarters and months in
China's time zone (the districts' own), and inclusive ranges of days."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from shared.clock import CHINA, now
from shared.http.problems import invalid

ZONE = CHINA
PERIOD = re.compile(r"(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
PERIOD_HELP = "a year (2026), a quarter (2026-Q3) or a month (2026-07)"


@dataclass(frozen=True, slots=True)
class Span:
    """[starts_at, ends_at): either end may be open."""

    starts_at: datetime | None
    ends_at: datetime | None


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    starts_at: datetime
    ends_at: datetime

    @property
    def span(self) -> Span:
        return Span(self.starts_at, self.ends_at)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), ZONE)


def _first_of(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def period(text: str | None) -> Period:
    """``2026``, ``2026-Q3`` or ``2026-07`` (default: this year) as its label and span; 422 naming query.period."""
    label = text or str(now().astimezone(ZONE).year)
    found = PERIOD.fullmatch(label)
    if found is None:
        raise invalid("query.period", PERIOD_HELP)
    year, quarter, month = int(found.group(1)), found.group(2), found.group(3)
    if quarter:
        first, months = 3 * int(quarter) - 2, 3
    elif month:
        first, months = int(month), 1
    else:
        first, months = 1, 12
    return Period(label, _midnight(_first_of(year, first)), _midnight(_first_of(year, first + months)))


def day(field: str, text: str | None) -> date | None:
    """A query's day (YYYY-MM-DD), read here so that a bad one is a 422 naming ``query.from``, not the handler's
    parameter (``from`` is a Python keyword)."""
    if text is None:
        return None
    try:
        if DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise invalid(f"query.{field}", "a day as YYYY-MM-DD")


def days(first_text: str | None, last_text: str | None) -> Span:
    """The days ``from`` to ``to`` (YYYY-MM-DD), both included; 422 naming query.to when it comes before ``from``."""
    first, last = day("from", first_text), day("to", last_text)
    if first is not None and last is not None and last < first:
        raise invalid("query.to", "must not be before query.from")
    return Span(
        _midnight(first) if first is not None else None,
        _midnight(last + timedelta(days=1)) if last is not None else None,
    )
