"""Rating and award periods as this session's API writes them: a year "2026", a half "2026H1", a quarter "2026Q3"
or a month "2026-11", counted in China's time zone (the districts' own)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from services.training.points.periods import ZONE
from shared.http.problems import invalid

PERIOD = re.compile(r"(\d{4})(?:H([12])|Q([1-4])|-(0[1-9]|1[0-2]))?")
RATING_HELP = "a year (2026) or a half-year (2026H1, 2026H2)"
AWARD_HELP = "a year (2026), a half-year (2026H1), a quarter (2026Q3) or a month (2026-11)"


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    year: str  # the commitment year the period falls in
    starts_at: datetime
    ends_at: datetime  # exclusive


def _midnight(year: int, month: int) -> datetime:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime.combine(date(year, month, 1), time(0, 0), ZONE)


def parse(field: str, text: str, *, ratings: bool = False) -> Period:
    """The period ``text`` names; a 422 naming ``field`` when it is none (or, for ``ratings``, not a year or half)."""
    found = PERIOD.fullmatch(text)
    if found is None or (ratings and (found.group(3) or found.group(4))):
        raise invalid(field, RATING_HELP if ratings else AWARD_HELP)
    year = int(found.group(1))
    if found.group(2):
        first, months = 6 * int(found.group(2)) - 5, 6
    elif found.group(3):
        first, months = 3 * int(found.group(3)) - 2, 3
    elif found.group(4):
        first, months = int(found.group(4)), 1
    else:
        first, months = 1, 12
    if not 2000 <= year <= 2100:
        raise invalid(field, "a year from 2000 to 2100")
    return Period(text, str(year), _midnight(year, first), _midnight(year, first + months))
