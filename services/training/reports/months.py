"""A report's month ("2026-11") and its span in the district's time (Asia/Shanghai, as the ledger's periods)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from services.training.points.periods import ZONE
from shared.clock import now
from shared.http.problems import invalid

MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
MONTH_HELP = "a month as YYYY-MM, such as 2026-11"


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.number:02d}"

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(date(self.year, self.number, 1), time(0, 0), ZONE)

    @property
    def ends_at(self) -> datetime:
        return self.following().starts_at

    @classmethod
    def of(cls, label: str) -> Month:
        """A month from its label as stored (already checked)."""
        year, number = label.split("-")
        return cls(int(year), int(number))

    def following(self) -> Month:
        return Month(self.year + self.number // 12, self.number % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.number == 1), (self.number - 2) % 12 + 1)


def this_month() -> Month:
    today = now().astimezone(ZONE)
    return Month(today.year, today.month)


def month(field: str, text: str | None, *, default: Month | None = None) -> Month:
    """``text`` as a month that has begun (the current month's figures are those so far); 422 naming ``field``."""
    if text is None and default is not None:
        return default
    found = MONTH.fullmatch(text or "")
    if found is None:
        raise invalid(field, MONTH_HELP)
    parsed = Month(int(found.group(1)), int(found.group(2)))
    if parsed.starts_at > now():
        raise invalid(field, f"{parsed.label} has not begun")
    return parsed
