"""A ticket (``/console/tickets/<id>``): its header, timeline, routing candidates and offers, extensions, the
ladder and referral notices, callback and closure, and revealing a masked field. Another district's id, like a
missing one, is the 404 page (the API answers 404 and the console shows it).

``/console/live/tickets/<id>`` relays the dispatch stream filtered to this ticket: each change arrives as the
re-rendered parts it touches (out-of-band swaps), so the page follows the ticket without reloading.
"""

from __future__ import annotations

import json
from typing import Annotated
from uuid import UUID

from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, ServerSentEvent, ServerSentEventMessage, Template

from services.console.api import Api, ApiError
from services.console.live import HEADERS, Event, relay
from services.console.tickets import facts
from services.console.tickets.actions import TicketActions
from services.console.tickets.parts import LIVE, Forms, affected, parts_by_name, whole_page
from services.console.web import AnyRequest, render, signed_in


class TicketPageController(TicketActions):
    """The page and its live part; the actions' handlers come with ``TicketActions``."""

    path = "/console"
    include_in_schema = False
    guards = signed_in(*facts.STAFF)

    @get("/tickets/{ticket_id:uuid}")
    async def ticket(self, request: AnyRequest, api: NamedDependency[Api], ticket_id: FromPath[UUID]) -> Template:
        return await whole_page(request, api, ticket_id)

    @get("/tickets/{ticket_id:uuid}/photos/{photo_id:uuid}")
    async def photo(self, api: NamedDependency[Api], ticket_id: FromPath[UUID], photo_id: FromPath[UUID]) -> Redirect:
        """A photo of the work (``photo_id``: its document id), filed in documents: a short-lived link to it, asked
        for with the user's token (documents decides who may see it)."""
        link = await api.get(f"/api/documents/documents/{photo_id}/download", inline="true")
        return Redirect(link["url"], status_code=303)

    @get("/live/tickets/{ticket_id:uuid}")
    async def live(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        ticket_id: FromPath[UUID],
        stage: Annotated[str, QueryParameter(name="stage", max_length=20)] = "",
    ) -> ServerSentEvent:
        await api.get(f"/api/dispatch/tickets/{ticket_id}")  # another district's: the 404, before any stream
        shown = {"stage": stage}  # the stage the page shows now, to know when every part must follow
        # What this stream last sent of each part: a part that renders the same is not sent again, so a change
        # elsewhere does not wipe a form the user is typing in or the refusal it just showed.
        sent: dict[str, str] = {}

        async def as_parts(event: Event) -> ServerSentEventMessage | None:
            parts: tuple[str, ...] = LIVE  # changes were missed (resync): everything again
            if event.event == "ticket":
                change = json.loads(event.data)
                if change.get("ticket") != str(ticket_id):
                    return None
                parts = affected(change, shown["stage"])
                shown["stage"] = str(change.get("status", shown["stage"]))
            elif event.event != "resync":
                return None
            try:
                rendered = await parts_by_name(request, api, ticket_id, parts, main=None, forms=Forms(), live=True)
            except ApiError as refused:
                if refused.status in (403, 404):
                    return None
                raise
            changed = {part: html for part, html in rendered.items() if sent.get(part) != html}
            if not changed:
                return None
            sent.update(changed)
            return ServerSentEventMessage(event="ticket", data="".join(changed.values()))

        connected = render(request, "tickets/live.html")
        stream = relay(api, "/api/dispatch/stream", request.headers.get("last-event-id"), as_parts, connected)
        return ServerSentEvent(stream, headers=HEADERS)
