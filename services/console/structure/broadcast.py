"""广播群 of a village or community (``/console/structure/units/<id>/broadcast-groups``): the red-cell group and
the mobile members' group as orgtree derives them from the tree, each person with why they are in it."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from services.console.api import Api
from services.console.structure.words import ROLES, STAFF
from services.console.web import AnyRequest, page, signed_in


class BroadcastController(Controller):
    path = "/console/structure/units"
    include_in_schema = False
    guards = signed_in(*STAFF)

    @get("/{unit_id:uuid}/broadcast-groups")
    async def groups(self, request: AnyRequest, api: NamedDependency[Api], unit_id: FromPath[UUID]) -> Template:
        groups = await api.get(f"/api/orgtree/nodes/{unit_id}/broadcast-groups")
        return page(request, "structure/broadcast.html", groups=groups, roles=ROLES)
