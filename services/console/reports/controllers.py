"""报表 (``/console/reports``): the reports over the organisation tree as tables with a chart, each downloadable
as .xlsx: the Yaoxi network roll-up of a unit and the units under it (``/network``), red-cell coverage
(``/coverage``), cadres below the monthly guidance minimum (``/guidance``) and members without a post
(``/unposted``). The address carries the choice (``?unit=``, ``&month=``); ``<report>.xlsx`` with the same query
is the workbook of exactly what the page shows. The chart is drawn in the browser by the vendored ECharts
(``static/reports.js``) from the figures the page embeds, and the same figures stand in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from services.console.api import Api, ApiError
from services.console.errors import error_page
from services.console.forms import FormErrors
from services.console.i18n import N_, translations
from services.console.reports.figures import Say, Table, shown
from services.console.reports.place import place
from services.console.reports.tables import Builder, Choice, coverage, guidance, network, unposted
from services.console.reports.workbook import XLSX, workbook
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.clock import now
from shared.storage.content import content_disposition

HOME = "/console/reports"
ROLES = ("district_admin", "street_admin", "community_cadre", "grid_leader")
NAV = [NavEntry(HOME, N_("Reports"), ROLES)]
Unit = Annotated[UUID | None, QueryParameter(name="unit")]
Month = Annotated[str, QueryParameter(name="month", max_length=20)]
Download = Response[bytes] | Template  # the workbook, or the error page of an address typed wrong
MONTH_WANTED = N_("Choose a month from 2000-01 to 2100-12.")


@dataclass(frozen=True)
class Report:
    slug: str
    title: str  # catalogue ids
    about: str
    build: Builder
    needs_unit: bool = False  # without a unit: the top of the user's administrative tree, not the whole scope
    monthly: bool = False


REPORTS = {
    report.slug: report
    for report in (
        Report(
            "network",
            N_("Yaoxi network"),
            N_(
                "Stationed cadres, village cadres, red-collar leaders, members and households of a unit and of each "
                "unit under it."
            ),
            network,
            needs_unit=True,
        ),
        Report(
            "coverage",
            N_("Red-cell coverage summary"),
            N_(
                "Households no member serves and members serving fewer or more households than the district's range, "
                "per unit. The households and members themselves are listed on the page"
            ),
            coverage,
            needs_unit=True,
        ),
        Report(
            "guidance",
            N_("Guidance"),
            N_(
                "Cadres who contacted a guided member fewer times than required in the month, or guide too few or too "
                "many members."
            ),
            guidance,
            monthly=True,
        ),
        Report(
            "unposted",
            N_("Members without a post"),
            N_("Members without office who have not yet claimed one of the posts."),
            unposted,
        ),
    )
}


def this_month(request: AnyRequest) -> str:
    return now().astimezone(ZoneInfo(request.app.state.console.time_zone)).strftime("%Y-%m")


def say(request: AnyRequest) -> Say:
    return translations(request.app.state.console.locale).gettext


def address(report: Report, unit: str | None, month: str, suffix: str = "") -> str:
    """The report's page (or with ``.xlsx``, its workbook) for ``unit``, the month kept where the report has one."""
    query = urlencode({k: v for k, v in {"unit": unit, "month": month if report.monthly else None}.items() if v})
    return f"{HOME}/{report.slug}{suffix}" + (f"?{query}" if query else "")


async def figures(
    request: AnyRequest, api: Api, report: Report, unit: UUID | None, month: str
) -> tuple[Choice, list[Table], FormErrors]:
    where = await place(api, unit, needs_unit=report.needs_unit)
    choice = Choice(where, month, lambda other: address(report, other, month))
    if report.needs_unit and where.unit is None:
        return choice, [], FormErrors()
    try:
        return choice, await report.build(api, say(request), choice), FormErrors()
    except ApiError as error:
        if not (report.monthly and "month" in error.fields):
            raise
        return choice, [], FormErrors(fields={"month": MONTH_WANTED})


class ReportsController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*ROLES)

    async def _page(self, request: AnyRequest, api: Api, slug: str, unit: UUID | None, month: str) -> Template:
        report = REPORTS[slug]
        chosen = month.strip() or this_month(request)
        choice, tables, errors = await figures(request, api, report, unit, chosen)
        return page(
            request,
            "reports/report.html",
            status_code=422 if errors else 200,
            report=report,
            reports=REPORTS.values(),
            choice=choice,
            tables=tables,
            errors=errors,
            shown=shown,
            sheet=address(report, choice.place.unit_id, chosen, ".xlsx"),
            link=lambda other: address(report, other, chosen),
        )

    async def _sheet(self, request: AnyRequest, api: Api, slug: str, unit: UUID | None, month: str) -> Download:
        report = REPORTS[slug]
        chosen = month.strip() or this_month(request)
        choice, tables, errors = await figures(request, api, report, unit, chosen)
        if errors:  # only a typed address gets here: the page offers no download while its month is wrong
            return error_page(request, 400)
        words = say(request)
        parts = (words(report.title), choice.place.name, chosen if report.monthly else "")
        name = "-".join(part for part in parts if part)
        stamp = now().astimezone(ZoneInfo(request.app.state.console.time_zone)).strftime("%Y%m%d")
        return Response(
            content=workbook(tables),
            media_type=XLSX,
            headers={"content-disposition": content_disposition(f"{name}-{stamp}.xlsx")},
        )

    @get("/")
    async def index(self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = None) -> Template:
        return await self._page(request, api, "network", unit, "")

    @get("/network")
    async def network(self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = None) -> Template:
        return await self._page(request, api, "network", unit, "")

    @get("/network.xlsx")
    async def network_sheet(self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = None) -> Download:
        return await self._sheet(request, api, "network", unit, "")

    @get("/coverage")
    async def coverage(self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = None) -> Template:
        return await self._page(request, api, "coverage", unit, "")

    @get("/coverage.xlsx")
    async def coverage_sheet(self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = None) -> Download:
        return await self._sheet(request, api, "coverage", unit, "")

    @get("/guidance")
    async def guidance(
        self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = None, month: Month = ""
    ) -> Template:
        return await self._page(request, api, "guidance", unit, month)

    @get("/guidance.xlsx")
    async def guidance_sheet(
        self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = None, month: Month = ""
    ) -> Download:
        return await self._sheet(request, api, "guidance", unit, month)

    @get("/unposted")
    async def unposted(self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = None) -> Template:
        return await self._page(request, api, "unposted", unit, "")

    @get("/unposted.xlsx")
    async def unposted_sheet(self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = None) -> Download:
        return await self._sheet(request, api, "unposted", unit, "")


CONTROLLERS: list[type[Controller]] = [ReportsController]
