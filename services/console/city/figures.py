"""The city's figures (``GET /city/figures?period=``) as the page shows them: one line per district, the 三率 as the
supervision page draws them (``supervision/rates.py``'s ``Line``, so ``supervision/chart.py`` draws them too), the
volumes and overdue marks, and the Yaoxi roll-up. The gateway checks the period and names it when it refuses it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.console.api import Api, ApiError
from services.console.forms import FormErrors
from services.console.i18n import N_
from services.console.supervision.rates import SERIES, Line, percent

# The gateway's messages (gateway/city/services.py) -> catalogue ids.
KNOWN = {
    "required: a month YYYY-MM or a day YYYY-MM-DD": N_("Enter a month or a day."),
    "a month YYYY-MM or a day YYYY-MM-DD": N_("Write a month as 2026-12 or a day as 2026-12-07."),
}
VOLUME_W = 300  # the widest district's bar in the volumes chart


@dataclass(frozen=True)
class District:
    """One district's column of the city's view: ``rates`` is None until it has published hotline figures."""

    name: str
    slug: str
    rates: Line | None
    hotline: dict[str, Any] | None
    network: dict[str, Any] | None
    care: dict[str, Any] | None

    def coverage(self) -> str:
        return "—" if self.network is None else f"{self.network['coveragePercent']:.1f}%"

    def review_rate(self) -> str:
        return "—" if self.care is None else percent(self.care["reviewRate"])


@dataclass(frozen=True)
class CityView:
    period: str
    city: str
    districts: list[District]
    total: dict[str, Any] | None
    errors: FormErrors

    @property
    def rated(self) -> list[Line]:
        """The districts with hotline figures, as the 三率 chart draws them."""
        return [d.rates for d in self.districts if d.rates is not None]

    def total_shown(self, series: str) -> str:
        return percent(self.total[series]) if self.total else "—"

    def volumes(self) -> list[tuple[str, int, int, float, float]]:
        """Per district with hotline figures: name, tickets, overdue, and both bars' widths (the busiest is full)."""
        shown = [
            (d.name, d.hotline["tickets"], d.hotline["overdueYellow"] + d.hotline["overdueRed"])
            for d in self.districts
            if d.hotline
        ]
        most = max((tickets for _, tickets, _ in shown), default=0) or 1
        return [(name, t, o, round(VOLUME_W * t / most, 1), round(VOLUME_W * o / most, 1)) for name, t, o in shown]


def presets(today: date) -> list[tuple[str, str]]:
    """Periods people ask for: this month, last month, today, yesterday."""
    last_month = today.replace(day=1) - timedelta(days=1)
    return [
        (N_("This month"), today.strftime("%Y-%m")),
        (N_("Last month"), last_month.strftime("%Y-%m")),
        (N_("Today"), today.isoformat()),
        (N_("Yesterday"), (today - timedelta(days=1)).isoformat()),
    ]


def _district(line: dict[str, Any]) -> District:
    hotline, name = line.get("hotline"), str(line["district"]["name"])
    rates = None
    if hotline is not None:
        counts = {key: int(hotline[key]) for key in ("tickets", "responded", "resolved", "rated", "satisfied")}
        rates = Line(
            name=name, where="", rates={key: hotline.get(key) for key in SERIES}, score=hotline.get("score"), **counts
        )
    return District(
        name=name,
        slug=str(line["district"]["slug"]),
        rates=rates,
        hotline=hotline,
        network=line.get("network"),
        care=line.get("care"),
    )


async def city_view(api: Api, period: str) -> CityView:
    """The gateway's answer for the period, or the form's errors when it refuses the period."""
    try:
        answer = await api.get("/city/figures", period=period or None)
    except ApiError as refused:
        if refused.status != 422:
            raise
        return CityView(period=period, city="", districts=[], total=None, errors=FormErrors.from_api(refused, KNOWN))
    return CityView(
        period=period,
        city=str(answer["city"]["name"]),
        districts=[_district(line) for line in answer["districts"]],
        total=answer["total"],
        errors=FormErrors(),
    )
