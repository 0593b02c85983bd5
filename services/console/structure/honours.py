"""星级与称号 of a unit (``/console/structure/units/<id>/honours``): the star level training's rating last
published for it with its period, every one before, and the titles it holds; linked from the unit's page."""

from __future__ import annotations

import asyncio
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from services.console.api import Api
from services.console.structure.words import STAFF, SUBJECT_KINDS
from services.console.web import AnyRequest, page, signed_in

API = "/api/orgtree"


class HonoursController(Controller):
    path = "/console/structure/units"
    include_in_schema = False
    guards = signed_in(*STAFF)

    @get("/{unit_id:uuid}/honours")
    async def honours(self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID]) -> Template:
        unit, honours = await asyncio.gather(
            api.get(f"{API}/nodes/{unit_id}"), api.get(f"{API}/nodes/{unit_id}/honours")
        )
        return page(request, "structure/honours.html", unit=unit, honours=honours, kinds=SUBJECT_KINDS)
