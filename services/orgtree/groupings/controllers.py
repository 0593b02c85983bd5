from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.access import ROLL_KEEPERS, STAFF
from services.orgtree.groupings.schemas import GroupingCreate, GroupingEntry, GroupingView
from services.orgtree.groupings.services import GroupingService
from services.orgtree.models import Grouping
from shared.http.guards import principal_of, requires_role, requires_tenant


async def grouping_view(service: GroupingService, row: Grouping) -> GroupingView:
    entries = await service.entries(row.id)
    return GroupingView(
        id=row.id, kind=row.kind, name=row.name, anchor_id=row.anchor_id, contact_member_id=row.contact_member_id,
        hub_household_id=row.hub_household_id, chat_group_ref=row.chat_group_ref,
        member_ids=[e.member_id for e in entries if e.member_id],
        household_ids=[e.household_id for e in entries if e.household_id], created_at=row.created_at,
    )  # fmt: skip


class GroupingController(Controller):
    path = "/api/orgtree/groupings"
    tags = ["Groupings"]
    guards = [requires_tenant, requires_role(*STAFF)]

    @get("/", operation_id="ListGroupings", summary="Courtyards, clusters and teams in a subtree")
    async def list_groupings(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        within: Annotated[UUID | None, QueryParameter()] = None,
        kind: Annotated[str | None, QueryParameter(max_length=30)] = None,
    ) -> list[GroupingView]:
        service = GroupingService(db_session, principal_of(request))
        return [await grouping_view(service, row) for row in await service.within(within, kind)]

    @get("/{grouping_id:uuid}", operation_id="GetGrouping", summary="One grouping with its members and households")
    async def get_grouping(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], grouping_id: FromPath[UUID]
    ) -> GroupingView:
        service = GroupingService(db_session, principal_of(request))
        return await grouping_view(service, await service.get(grouping_id))

    @post("/", operation_id="CreateGrouping", summary="Form a courtyard, cluster or team",
          guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def create(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], data: JSONBody[GroupingCreate]
    ) -> GroupingView:
        service = GroupingService(db_session, principal_of(request))
        return await grouping_view(service, await service.create(data))

    @post("/{grouping_id:uuid}/entries", operation_id="AddToGrouping", summary="Add a member or a household",
          guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def add(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        grouping_id: FromPath[UUID],
        data: JSONBody[GroupingEntry],
    ) -> GroupingView:
        service = GroupingService(db_session, principal_of(request))
        return await grouping_view(service, await service.add(grouping_id, data))
