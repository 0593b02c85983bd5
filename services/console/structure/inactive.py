"""长期未参加组织生活 (``/console/structure/inactive``): members of the user's scope (or a unit's) with no
organisational life for six months or more, by party unit, from the attendance training records."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from services.console.api import Api
from services.console.i18n import N_
from services.console.people.units import node_or_none
from services.console.structure.words import EDITORS
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/structure/inactive"
NAV = NavEntry(HOME, N_("Inactive members"), EDITORS)
Unit = Annotated[str, QueryParameter(max_length=40)]


class InactiveController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*EDITORS)

    @get("/")
    async def report(self, request: AnyRequest, api: NamedDependency[Api], unit: Unit = "") -> Template:
        chosen = await node_or_none(api, unit)
        report = await api.get("/api/orgtree/reports/inactive-members", within=chosen["id"] if chosen else None)
        units: dict[str, list[dict[str, object]]] = {}
        for member in report["members"]:
            units.setdefault(member["unitName"], []).append(member)
        return page(request, "structure/inactive.html", report=report, units=units, unit=chosen)
