"""The sessions list's filters as the address carries them (programme, first and last day), turned into the API's
query (``from``/``to`` as instants in the district's zone), and the catalogue grouped by category."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from services.console.i18n import N_

WRONG_DAY = N_("Write the date as year-month-day, such as 2026-12-01.")
PAGE = 50


def _day(typed: str) -> date | None:
    try:
        return date.fromisoformat(typed)
    except ValueError:
        return None


@dataclass(frozen=True)
class Filters:
    """The list's choice, as typed (an invalid day stays in its field beside its message)."""

    programme: str
    start: str
    end: str
    cursor: str
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(
        cls, programme: str | None, start: str | None, end: str | None, cursor: str | None, today: date
    ) -> Filters:
        """Upcoming sessions (from today on) unless the address says otherwise; ``from=`` empty lists every one."""
        typed = cls(
            programme=(programme or "").strip(),
            start=today.isoformat() if start is None else start.strip(),
            end=(end or "").strip(),
            cursor=(cursor or "").strip(),
        )
        for name, value in (("from", typed.start), ("to", typed.end)):
            if value and _day(value) is None:
                typed.errors[name] = WRONG_DAY
        return typed

    def query(self, zone: ZoneInfo) -> dict[str, Any]:
        """``GET /api/training/sessions``: ``to`` is the day after the last day, so the last day is included."""
        params: dict[str, Any] = {"limit": PAGE, "programmeId": self.programme or None, "cursor": self.cursor or None}
        first, last = _day(self.start), _day(self.end)
        if first is not None:
            params["from"] = datetime.combine(first, time(), zone).isoformat()
        if last is not None:
            params["to"] = datetime.combine(last + timedelta(days=1), time(), zone).isoformat()
        return params

    def address(self, **changes: str) -> str:
        """This list's address with some choices changed (the next page's link)."""
        params = {"programme": self.programme, "from": self.start, "to": self.end, **changes}
        return "/console/training?" + urlencode({k: v for k, v in params.items() if v or k == "from"})


@dataclass(frozen=True)
class Group:
    """One category of the catalogue with its programmes, active ones first."""

    code: str
    name: str
    programmes: list[dict[str, Any]]


def catalogue(categories: list[dict[str, Any]], programmes: list[dict[str, Any]]) -> list[Group]:
    """The programmes grouped by category, in the district's category order; a programme of a category the district
    no longer lists still shows, under its code."""
    names = {c["code"]: c["name"] for c in categories}
    order = [c["code"] for c in categories] + sorted({p["category"] for p in programmes} - names.keys())
    groups = []
    for code in order:
        members = sorted((p for p in programmes if p["category"] == code), key=lambda p: (not p["active"], p["name"]))
        if members:
            groups.append(Group(code, names.get(code, code), members))
    return groups
