"""Supervision (``/console/supervision``, 督办): the unresolved cases by ladder rung and by deadline, and the 三率 per
unit and period as a table and a chart. The address carries every choice (rung, deadline group, grouping,
period); htmx swaps only the part a choice changes (``HX-Target``: ``board`` for a rung or deadline group, ``rates``
for the unit and period), so a new period does not read the cases again."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from services.console.api import Api
from services.console.desk.queue import LOOKUPS_FOR_PAGES, STAGES
from services.console.i18n import N_
from services.console.supervision.board import CLOCKS, DUE, ORG_LEVELS, board
from services.console.supervision.chart import chart
from services.console.supervision.rates import BY, SERIES, Period, presets, report
from services.console.web import AnyRequest, NavEntry, is_fragment, page, signed_in
from shared.clock import now

ROLES = ("district_admin", "hotline_supervisor", "street_admin", "community_cadre")
NAV = NavEntry("/console/supervision", N_("Supervision"), ROLES)
PARTS = {"board": "supervision/board.html", "rates": "supervision/rates.html"}
# As typed: an unknown rung or group falls back to the default, the period goes to the API to be judged.
Rung = Annotated[str | None, QueryParameter(name="rung", max_length=3)]
Due = Annotated[str | None, QueryParameter(name="due", max_length=10)]
Grouping = Annotated[str | None, QueryParameter(name="by", max_length=10)]
First = Annotated[str | None, QueryParameter(name="from", max_length=20)]
Last = Annotated[str | None, QueryParameter(name="to", max_length=20)]
UNNAMED = {"provider": N_("Handled by a unit"), "": N_("Not placed in a grid")}


@dataclass(frozen=True)
class View:
    """What the page shows, as the address says it."""

    rung: int | None
    due: str | None
    period: Period

    @classmethod
    def read(cls, rung: str | None, due: str | None, period: Period) -> View:
        return cls(
            rung=int(rung) if rung and rung.isdigit() else None,
            due=due if due in DUE else None,
            period=period,
        )

    def query(self, **changes: Any) -> str:
        """This view's whole address with some choices changed (a link's target without htmx)."""
        return self.only(**{"rung": self.rung, "due": self.due, **self.period.params(), **changes})

    def choice(self, **changes: Any) -> str:
        """The board's choice (rung, deadline group) with some changed; htmx adds the period from the form."""
        return self.only(**{"rung": self.rung, "due": self.due, **changes})

    @staticmethod
    def only(**params: Any) -> str:
        return urlencode({k: v for k, v in params.items() if v is not None and v != ""})


def today(request: AnyRequest) -> date:
    return now().astimezone(ZoneInfo(request.app.state.console.time_zone)).date()


class SupervisionController(Controller):
    path = "/console"
    include_in_schema = False
    guards = signed_in(*ROLES)

    @get("/supervision")
    async def supervision(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        rung: Rung = None,
        due: Due = None,
        by: Grouping = None,
        start: First = None,
        end: Last = None,
    ) -> Template:
        day = today(request)
        view = View.read(rung, due, Period.read(by, start, end, day))
        target = request.headers.get("hx-target") if is_fragment(request) else None
        part = PARTS.get(target or "")
        wants_board, wants_rates = part != PARTS["rates"], part != PARTS["board"]
        found, rates = await asyncio.gather(
            board(api, LOOKUPS_FOR_PAGES) if wants_board else _nothing(),
            report(api, view.period) if wants_rates else _nothing(),
        )
        context: dict[str, Any] = {
            "view": view,
            "stages": STAGES,
            "clocks": CLOCKS,
            "due_groups": DUE,
            "org_levels": ORG_LEVELS,
            "groupings": BY,
            "series": SERIES,
            "presets": presets(day),
            "unnamed": UNNAMED.get(view.period.by, UNNAMED[""]),
        }
        if found is not None:
            context |= {"board": found, "rung": found.rung(view.rung), "due": found.deadline(view.due)}
        if rates is not None:
            context["rates"] = rates
        return page(request, part or "supervision/supervision.html", **context, fragment=part is not None, chart=chart)


async def _nothing() -> None:
    return None
