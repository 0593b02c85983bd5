"""The return programme's ledgers (六大台账 at 4 levels [001/ZJ]): for a unit, its subtree's cases counted (lost,
found, regrouped by each way, unqualified, still searching), and one line per unit one level down, so the district
goes down to its streets, a street to its villages and communities, and these to the units themselves."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.lost_members.models import LostMemberCase
from services.orgtree.lost_members.schemas import LedgerCounts, LedgerLine, LedgerView
from services.orgtree.lost_members.services import LostMemberService
from services.orgtree.nodes.models import OrgNode, TreeKind
from services.orgtree.nodes.services import NodeService


def counted(cases: list[LostMemberCase]) -> LedgerCounts:
    counts = LedgerCounts(lost=len(cases))
    for case in cases:
        if case.state == "searching":
            counts.searching += 1
            continue
        counts.found += 1
        if case.state == "unqualified":
            counts.unqualified += 1
        elif case.regrouped_by is not None:
            name = f"by_{case.regrouped_by}"
            setattr(counts, name, getattr(counts, name) + 1)
    return counts


class LedgerService:
    def __init__(self, session: AsyncSession, nodes: NodeService, cases: LostMemberService) -> None:
        self.session = session
        self.nodes = nodes
        self.cases = cases

    async def _party_root(self) -> OrgNode:
        root = await self.session.scalar(
            select(OrgNode).where(OrgNode.tree == TreeKind.PARTY, OrgNode.parent_id.is_(None)).limit(1)
        )
        assert root is not None, "every district has its party tree's root"
        return root

    async def ledger(self, within: UUID | None) -> LedgerView:
        unit = (
            await self.nodes.get_in_tree(within, TreeKind.PARTY, "query.within") if within else await self._party_root()
        )
        cases = [c for c in await self.cases.in_scope() if c.unit_path.startswith(unit.path)]
        children = await self.session.scalars(
            select(OrgNode).where(OrgNode.parent_id == unit.id).order_by(OrgNode.path)
        )
        lines = [
            LedgerLine(
                unit_id=child.id,
                unit_name=child.name,
                level=child.level,
                counts=counted([c for c in cases if c.unit_path.startswith(child.path)]),
            )
            for child in children
        ]
        own = LedgerLine(unit_id=unit.id, unit_name=unit.name, level=unit.level, counts=counted(cases))
        return LedgerView(unit=own, lines=lines)
