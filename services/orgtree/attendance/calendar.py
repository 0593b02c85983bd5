"""The working calendar of cadre attendance. Orgtree knows no public holidays (dispatch's working calendar is its
own, and orgtree does not import dispatch), so a working day is Monday to Friday."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from shared.http.problems import invalid

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def is_workday(day: date) -> bool:
    return day.weekday() < 5


def month_days(first: date) -> list[date]:
    last = calendar.monthrange(first.year, first.month)[1]
    return [first + timedelta(days=n) for n in range(last)]


def workdays(first: date) -> list[date]:
    return [day for day in month_days(first) if is_workday(day)]


def month_end(first: date) -> date:
    return month_days(first)[-1]


def parse_month(value: str | None, today: date, field: str = "query.month") -> date:
    """The first day of the month ``YYYY-MM`` (default: this month); anything else is a 422 naming ``field``."""
    if value is None:
        return today.replace(day=1)
    match = MONTH.match(value)
    if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
        raise invalid(field, "a month as YYYY-MM")
    return date(int(match[1]), int(match[2]), 1)
