"""The hotline desk (``/console/desk``): the district's live queue for operators, filtered by stage, category,
grid and warning; the URL carries the filters, and ``/console/live/desk`` relays the dispatch stream as rows."""

from __future__ import annotations

import json
from typing import Annotated, Any

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage, Template

from services.console.api import Api
from services.console.desk.queue import CLOCKS, LOOKUPS_FOR_PAGES, STAGES, WARNINGS, Filters, one_row, queue
from services.console.i18n import N_
from services.console.live import HEADERS, Event, relay
from services.console.web import AnyRequest, NavEntry, is_fragment, page, render, signed_in

ROLES = ("hotline_operator", "district_admin")
NAV = NavEntry("/console/desk", N_("Hotline desk"), ROLES)
LOOKUPS = LOOKUPS_FOR_PAGES


async def provide_filters(
    stage: Annotated[str | None, QueryParameter(name="stage", max_length=20)] = None,
    category: Annotated[str | None, QueryParameter(name="category", max_length=40)] = None,
    grid: Annotated[str | None, QueryParameter(name="grid", max_length=40)] = None,
    warning: Annotated[str | None, QueryParameter(name="warning", max_length=10)] = None,
) -> Filters:
    """The queue's filters from the address (the page's and its live stream's)."""
    return Filters.read(stage, category, grid, warning)


class DeskController(Controller):
    path = "/console"
    include_in_schema = False
    guards = signed_in(*ROLES)
    dependencies = {"filters": Provide(provide_filters)}

    @get("/desk")
    async def desk(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        filters: NamedDependency[Filters],
    ) -> Template:
        rows, grids = await queue(api, LOOKUPS, filters)
        context: dict[str, Any] = {
            "rows": rows,
            "filters": filters,
            "stages": STAGES,
            "warnings": WARNINGS,
            "clocks": CLOCKS,
            "categories": await LOOKUPS.categories(api),
            "grids": grids,
        }
        template = "desk/queue.html" if is_fragment(request) else "desk/desk.html"
        return page(request, template, **context)

    @get("/live/desk")
    async def live(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        filters: NamedDependency[Filters],
    ) -> ServerSentEvent:

        async def as_row(event: Event) -> ServerSentEventMessage | None:
            if event.event == "resync":  # changes were missed: the page reloads its queue
                return ServerSentEventMessage(event="resync", data="resync")
            if event.event != "ticket":
                return None
            ticket_id = str(json.loads(event.data).get("ticket", ""))
            row = await one_row(api, LOOKUPS, ticket_id)
            shown = row is not None and filters.admits(row)
            html = render(
                request, "desk/row.html", row=row, gone=not shown, ticket_id=ticket_id, stages=STAGES, clocks=CLOCKS
            )
            return ServerSentEventMessage(event="row", data=html)

        connected = render(request, "desk/live.html")
        stream = relay(api, "/api/dispatch/stream", request.headers.get("last-event-id"), as_row, connected)
        return ServerSentEvent(stream, headers=HEADERS)
