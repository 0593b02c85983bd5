"""Broadcast groups derived from the tree (ORG-26): a village's "red cell" group, its two-committee cadres, its
grids' red-collar leaders and every member of the village (in its grids or on its branch's roll) [000], and a
separate group of its mobile members, so that a notification reaches the same people the chat groups hold. Read
only: the tree is the list; nothing is stored."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.broadcast.schemas import BroadcastGroup, GroupMember, VillageBroadcastGroups
from services.orgtree.cadres.models import CadrePosting
from services.orgtree.grids.models import GridLeader
from services.orgtree.levels.services import load_schema
from services.orgtree.members.models import Member
from services.orgtree.nodes.models import OrgNode, TreeKind
from services.orgtree.nodes.services import NodeService, in_subtree
from shared.http.problems import invalid

CADRE, LEADER, MEMBER, MOBILE = "two_committee_cadre", "red_collar_leader", "member", "mobile_member"


def is_mobile(member: Member) -> bool:
    return member.classification == "mobile" or "mobile" in member.flags


class BroadcastService:
    def __init__(self, session: AsyncSession, nodes: NodeService) -> None:
        self.session = session
        self.nodes = nodes

    async def of_village(self, node_id: UUID) -> VillageBroadcastGroups:
        village = await self.nodes.get_in_tree(node_id, TreeKind.ADMINISTRATIVE, "path.nodeId")
        spec = (await load_schema(self.session, village.tree)).levels.get(village.level)
        if spec is None or not spec.is_village:
            raise invalid("path.nodeId", f"a '{village.level}' is not a village or community")
        branches = list(
            await self.session.scalars(
                select(OrgNode.path).where(OrgNode.tree == TreeKind.PARTY, OrgNode.linked_node_id == village.id)
            )
        )
        within = [in_subtree(Member.grid_path, village.path), *(in_subtree(Member.branch_path, b) for b in branches)]
        cadres = select(CadrePosting.member_id).where(
            CadrePosting.village_id == village.id, CadrePosting.kind == "village"
        )
        leaders = select(GridLeader.member_id).where(in_subtree(GridLeader.grid_path, village.path))
        cadre_ids = set(await self.session.scalars(cadres))
        leader_ids = set(await self.session.scalars(leaders))
        people = await self.session.scalars(
            select(Member)
            .where(or_(*within, Member.id.in_(cadres), Member.id.in_(leaders)))
            .order_by(Member.name, Member.id)
        )
        red_cell, mobile = [], []
        for person in people:
            roles = [r for r, held in ((CADRE, person.id in cadre_ids), (LEADER, person.id in leader_ids)) if held]
            roles.append(MEMBER)
            if is_mobile(person):
                roles.append(MOBILE)
            entry = GroupMember(member_id=person.id, name=person.name, roles=roles)
            red_cell.append(entry)
            if is_mobile(person):
                mobile.append(entry)
        return VillageBroadcastGroups(
            village_id=village.id,
            village_name=village.name,
            groups=[
                BroadcastGroup(kind="red_cell", name=f"{village.name}红色细胞群", members=red_cell),
                BroadcastGroup(kind="mobile_members", name=f"{village.name}流动党员群", members=mobile),
            ],
        )
