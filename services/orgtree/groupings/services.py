"""Groupings hang under a unit and are seen by whoever sees that unit."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.groupings.schemas import GroupingCreate, GroupingEntry
from services.orgtree.households.services import HouseholdService
from services.orgtree.members.services import MemberService
from services.orgtree.models import Grouping, GroupingMember
from services.orgtree.nodes.services import NodeService, in_subtree
from shared import audit
from shared.auth.principal import Principal
from shared.db.repository import Repository
from shared.http.problems import conflict, invalid

GROUPING_KINDS = {
    "four_harmony_courtyard": "四和院",
    "red_cell_cluster": "红色细胞团",
    "micro_grid_service_team": "微网格服务队",
}


class GroupingRepository(Repository[Grouping]):
    model_type = Grouping
    noun = "grouping"


class GroupingService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        *,
        groupings: GroupingRepository,
        nodes: NodeService,
        members: MemberService,
        households: HouseholdService,
    ) -> None:
        self.session = session
        self.principal = principal
        self.groupings = groupings
        self.nodes = nodes
        self.members = members
        self.households = households

    async def get(self, grouping_id: UUID) -> Grouping:
        return await self.groupings.get_or_404(
            grouping_id, visible=lambda g: self.principal.may_see_path(g.anchor_path)
        )

    async def entries(self, grouping_id: UUID) -> list[GroupingMember]:
        rows = await self.session.scalars(select(GroupingMember).where(GroupingMember.grouping_id == grouping_id))
        return list(rows)

    async def within(self, node_id: UUID | None, kind: str | None) -> list[Grouping]:
        """The groupings anchored in the unit ``node_id`` (else in the caller's scope), of ``kind`` if given."""
        query = select(Grouping).order_by(Grouping.anchor_path, Grouping.name)
        scope = await self.nodes.scope_path(node_id)
        if scope is not None:
            query = query.where(in_subtree(Grouping.anchor_path, scope))
        return list(await self.session.scalars(query if kind is None else query.where(Grouping.kind == kind)))

    async def create(self, data: GroupingCreate) -> Grouping:
        if data.kind not in GROUPING_KINDS:
            raise invalid("kind", f"one of: {', '.join(GROUPING_KINDS)}")
        anchor = await self.nodes.get(data.anchor_id)
        if data.contact_member_id is not None:
            await self.members.get(data.contact_member_id)
        hub = await self.households.get(data.hub_household_id) if data.hub_household_id is not None else None
        if hub is not None and not hub.is_member_hub and hub.plaque is None:
            raise invalid("hubHouseholdId", "a courtyard's hub is a member household (hub or plaque)")
        row = Grouping(
            kind=data.kind,
            name=data.name.strip(),
            anchor_id=anchor.id,
            anchor_path=anchor.path,
            contact_member_id=data.contact_member_id,
            hub_household_id=hub.id if hub else None,
            chat_group_ref=data.chat_group_ref,
        )
        await self.groupings.add(row)
        await audit.record(
            self.session,
            "orgtree.grouping.created",
            subject_type="grouping",
            subject_id=str(row.id),
            detail={"kind": data.kind},
        )
        return row

    async def add(self, grouping_id: UUID, entry: GroupingEntry) -> Grouping:
        grouping = await self.get(grouping_id)
        if (entry.member_id is None) == (entry.household_id is None):
            raise invalid("memberId", "give exactly one of memberId or householdId")
        if entry.member_id is not None:
            await self.members.get(entry.member_id)
            taken = GroupingMember.member_id == entry.member_id
        else:
            await self.households.get(entry.household_id)  # type: ignore[arg-type]
            taken = GroupingMember.household_id == entry.household_id
        if await self.session.scalar(select(GroupingMember.id).where(GroupingMember.grouping_id == grouping.id, taken)):
            raise conflict("already in this grouping")
        self.session.add(
            GroupingMember(grouping_id=grouping.id, member_id=entry.member_id, household_id=entry.household_id)
        )
        await self.session.flush()
        return grouping
