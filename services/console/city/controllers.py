"""城市视图 (``/console/city``), for a city account: the city's districts side by side for a month or a day, as a
table and two server-drawn SVG charts (三率 per district, tickets and overdue ones per district), from the figures
the districts publish. The address carries the period; the gateway judges it."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from services.console.api import Api
from services.console.city.figures import VOLUME_W, city_view, presets
from services.console.i18n import N_
from services.console.supervision.chart import chart
from services.console.supervision.controllers import today
from services.console.supervision.rates import SERIES
from services.console.web import AnyRequest, NavEntry, page, signed_in

ROLES = ("city_viewer",)
NAV = [NavEntry("/console/city", N_("City view"), ROLES)]
Period = Annotated[str | None, QueryParameter(name="period", max_length=20)]


class CityController(Controller):
    path = "/console/city"
    include_in_schema = False
    guards = signed_in(*ROLES)

    @get("/")
    async def city(self, request: AnyRequest, api: NamedDependency[Api], period: Period = None) -> Template:
        day = today(request)
        chosen = day.strftime("%Y-%m") if period is None else period.strip()
        view = await city_view(api, chosen)
        return page(
            request,
            "city/city.html",
            status_code=422 if view.errors else 200,
            view=view,
            presets=presets(day),
            series=SERIES,
            chart=chart,
            volume_w=VOLUME_W,
        )


CONTROLLERS = [CityController]
