"""The broadcast groups of a village or community (ORG-26), derived from the tree."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from services.orgtree.access import STAFF, in_district
from services.orgtree.broadcast.schemas import VillageBroadcastGroups
from services.orgtree.broadcast.services import BroadcastService
from shared.http.di import provide_service


class BroadcastController(Controller):
    path = "/api/orgtree"
    tags = ["Broadcast groups"]
    guards = in_district(*STAFF)
    dependencies = {"broadcast": provide_service(BroadcastService)}

    @get(
        "/nodes/{node_id:uuid}/broadcast-groups",
        operation_id="VillageBroadcastGroups",
        summary="A village's red-cell group (two-committee cadres, red-collar leaders, every member) and mobile group",
    )
    async def of_village(
        self, broadcast: NamedDependency[BroadcastService], node_id: FromPath[UUID]
    ) -> VillageBroadcastGroups:
        return await broadcast.of_village(node_id)
