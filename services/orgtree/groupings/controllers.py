from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.orgtree.access import ROLL_KEEPERS, STAFF
from services.orgtree.groupings.schemas import GroupingCreate, GroupingEntry, GroupingView
from services.orgtree.groupings.services import GroupingService
from services.orgtree.models import Grouping
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

Within = Annotated[UUID | None, QueryParameter()]
Kind = Annotated[str | None, QueryParameter(max_length=30)]


async def grouping_view(groupings: NamedDependency[GroupingService], row: Grouping) -> GroupingView:
    entries = await groupings.entries(row.id)
    members = [e.member_id for e in entries if e.member_id]
    households = [e.household_id for e in entries if e.household_id]
    return view(GroupingView, row, member_ids=members, household_ids=households)


class GroupingController(Controller):
    path = "/api/orgtree/groupings"
    tags = ["Groupings"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"groupings": provide_service(GroupingService)}

    @get("/", operation_id="ListGroupings", summary="Courtyards, clusters and teams in a subtree")
    async def list_groupings(
        self, groupings: NamedDependency[GroupingService], within: Within = None, kind: Kind = None
    ) -> list[GroupingView]:
        return [await grouping_view(groupings, row) for row in await groupings.within(within, kind)]

    @get("/{grouping_id:uuid}", operation_id="GetGrouping", summary="One grouping with its members and households")
    async def get_grouping(
        self, groupings: NamedDependency[GroupingService], grouping_id: FromPath[UUID]
    ) -> GroupingView:
        return await grouping_view(groupings, await groupings.get(grouping_id))

    @post(
        "/",
        operation_id="CreateGrouping",
        summary="Form a courtyard, cluster or team",
        guards=[requires_role(*ROLL_KEEPERS)],
    )
    async def create(self, groupings: NamedDependency[GroupingService], data: JSONBody[GroupingCreate]) -> GroupingView:
        return await grouping_view(groupings, await groupings.create(data))

    @post(
        "/{grouping_id:uuid}/entries",
        operation_id="AddToGrouping",
        summary="Add a member or a household",
        guards=[requires_role(*ROLL_KEEPERS)],
    )
    async def add(
        self, groupings: NamedDependency[GroupingService], grouping_id: FromPath[UUID], data: JSONBody[GroupingEntry]
    ) -> GroupingView:
        return await grouping_view(groupings, await groupings.add(grouping_id, data))
