"""A ticket (``/console/tickets/<id>``): for now what the ticket says and its clocks; another district's id,
like a missing one, is the 404 page (the API answers 404 and the console shows it)."""

from __future__ import annotations

import asyncio
from uuid import UUID

from litestar import Controller, get
from litestar.response import Template

from services.console.api import Api
from services.console.desk.queue import CLOCKS, LOOKUPS_FOR_PAGES, STAGES, WARNINGS
from services.console.web import AnyRequest, page, signed_in

STAFF = ("district_admin", "hotline_operator", "street_admin", "community_cadre", "grid_leader")


class TicketPageController(Controller):
    path = "/console/tickets"
    include_in_schema = False
    guards = signed_in(*STAFF)

    @get("/{ticket_id:uuid}")
    async def ticket(self, request: AnyRequest, api: Api, ticket_id: UUID) -> Template:
        ticket = await api.get(f"/api/dispatch/tickets/{ticket_id}")
        deadlines, categories = await asyncio.gather(
            api.get(f"/api/dispatch/tickets/{ticket_id}/deadlines"), LOOKUPS_FOR_PAGES.categories(api)
        )
        return page(
            request,
            "tickets/ticket.html",
            ticket=ticket,
            deadlines=deadlines,
            category=categories.get(ticket.get("categoryId") or "", ""),
            stages=STAGES,
            warnings=WARNINGS,
            clocks=CLOCKS,
        )
