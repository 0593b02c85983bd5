"""The 三率 (response, resolution and satisfaction rates) per unit and period, from ``GET /api/dispatch/reports/rates``.

The API checks the period (a date each, ``from`` not after ``to``, at most 366 days) and names the field it
refuses; the form shows that message beside the field, in the catalogue's words. The API also confines a
street-scoped account to its street's tickets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.console.api import Api, ApiError
from services.console.forms import FormErrors
from services.console.i18n import N_

BY = {
    "street": N_("Street"),
    "village": N_("Village or community"),
    "grid": N_("Grid"),
    "provider": N_("Provider"),
}
# The API's messages (services/dispatch/reports/services.py) -> catalogue ids.
KNOWN = {
    "required: a date written YYYY-MM-DD": N_("Enter a date."),
    "a date written YYYY-MM-DD": N_("Write the date as year-month-day, such as 2026-12-01."),
    "the period starts after it ends (from must not be after to)": N_("The period starts after it ends."),
    "a report covers at most 366 days": N_("A report covers at most 366 days."),
    "one of: grid, village, street, provider": N_("Choose one of the listed options."),
}
SERIES = {
    "responseRate": N_("Response rate"),
    "resolutionRate": N_("Resolution rate"),
    "satisfactionRate": N_("Satisfaction rate"),
}


@dataclass(frozen=True)
class Period:
    """The form's choice as typed (an invalid date stays in its field beside its message)."""

    by: str
    start: str
    end: str

    @classmethod
    def read(cls, by: str | None, start: str | None, end: str | None, today: date) -> Period:
        """Month to date unless the address says otherwise; an unknown grouping falls back to streets."""
        return cls(
            by=by if by in BY else "street",
            start=today.replace(day=1).isoformat() if start is None else start.strip(),
            end=today.isoformat() if end is None else end.strip(),
        )

    def params(self) -> dict[str, str]:
        return {"by": self.by, "from": self.start, "to": self.end}


def presets(today: date) -> list[tuple[str, dict[str, str]]]:
    """Periods people ask for: this month so far, last month, this year so far."""
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    return [
        (N_("This month"), {"from": first.isoformat(), "to": today.isoformat()}),
        (N_("Last month"), {"from": last_month_end.replace(day=1).isoformat(), "to": last_month_end.isoformat()}),
        (N_("This year"), {"from": today.replace(month=1, day=1).isoformat(), "to": today.isoformat()}),
    ]


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass(frozen=True)
class Line:
    """One unit's row of the table (and bar group of the chart)."""

    name: str  # empty: tickets without a grid (or, by provider, handled by a unit); the template names them
    where: str  # the unit's ancestors, district first
    tickets: int
    responded: int
    resolved: int
    rated: int
    satisfied: int
    rates: dict[str, float | None]  # SERIES key -> fraction 0..1
    score: float | None

    def shown(self, series: str) -> str:
        return percent(self.rates[series])


def line(unit: dict[str, Any]) -> Line:
    ancestors = [str(name) for name in unit.get("ancestors") or []]
    return Line(
        name=str(unit.get("name") or ""),
        where=" / ".join(ancestors[1:]),  # the district goes without saying
        tickets=int(unit["tickets"]),
        responded=int(unit["responded"]),
        resolved=int(unit["resolved"]),
        rated=int(unit["rated"]),
        satisfied=int(unit["satisfied"]),
        rates={key: unit.get(key) for key in SERIES},
        score=unit.get("score"),
    )


@dataclass(frozen=True)
class Report:
    period: Period
    lines: list[Line]
    total: Line | None
    errors: FormErrors


async def report(api: Api, period: Period) -> Report:
    """The API's report for the period, or the form's errors when it refuses the period."""
    try:
        answer = await api.get(
            "/api/dispatch/reports/rates", by=period.by, **{"from": period.start or None, "to": period.end or None}
        )
    except ApiError as refused:
        if refused.status != 422:
            raise
        return Report(period=period, lines=[], total=None, errors=FormErrors.from_api(refused, KNOWN))
    return Report(
        period=period,
        lines=[line(unit) for unit in answer["units"]],
        total=line(answer["total"]),
        errors=FormErrors(),
    )
