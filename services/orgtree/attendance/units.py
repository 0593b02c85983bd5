"""The unit cadre attendance is kept for (a village or community the caller sees) and its cadres: the members
posted there as stationed or two-committee cadres (cadres/)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.attendance.models import LeaveRequest
from services.orgtree.attendance.schemas import CadreView
from services.orgtree.levels.services import load_schema
from services.orgtree.models import CadrePosting, Member, OrgNode, TreeKind
from services.orgtree.nodes.services import NodeService
from shared.http.problems import invalid


class AttendanceUnits:
    def __init__(self, session: AsyncSession, nodes: NodeService) -> None:
        self.session = session
        self.nodes = nodes

    async def village(self, node_id: UUID) -> OrgNode:
        """A village or community in the caller's scope (else a 404), any other unit a 422 naming the path."""
        node = await self.nodes.get_in_tree(node_id, TreeKind.ADMINISTRATIVE, "path.nodeId")
        spec = (await load_schema(self.session, node.tree)).levels.get(node.level)
        if spec is None or not spec.is_village:
            raise invalid("path.nodeId", f"a '{node.level}' is not a village or community")
        return node

    async def cadres(self, unit: OrgNode, by: date) -> list[CadreView]:
        """The unit's cadres posted on or before ``by``, by name (one entry per member, with each kind held)."""
        rows = await self.session.execute(
            select(Member.id, Member.name, CadrePosting.kind)
            .join(Member, Member.id == CadrePosting.member_id)
            .where(CadrePosting.village_id == unit.id, CadrePosting.since <= by)
            .order_by(Member.name, Member.id, CadrePosting.kind)
        )
        cadres: dict[UUID, CadreView] = {}
        for member_id, name, kind in rows:
            cadres.setdefault(member_id, CadreView(member_id=member_id, member_name=name, kinds=[])).kinds.append(kind)
        return list(cadres.values())

    async def cadre(self, unit: OrgNode, member_id: UUID, day: date, field: str = "memberId") -> CadreView:
        """The member as a cadre of the unit on ``day``; anyone else is a 422 naming ``field``."""
        for cadre in await self.cadres(unit, day):
            if cadre.member_id == member_id:
                return cadre
        raise invalid(field, "not a cadre posted to this village or community on that day")

    async def away(self, member_ids: list[UUID], first: date, last: date) -> set[tuple[UUID, date]]:
        """(cadre, day) pairs from ``first`` to ``last`` that an approved leave covers."""
        leaves = await self.session.execute(
            select(LeaveRequest.member_id, LeaveRequest.first_day, LeaveRequest.last_day).where(
                LeaveRequest.member_id.in_(member_ids),
                LeaveRequest.state == "approved",
                LeaveRequest.first_day <= last,
                LeaveRequest.last_day >= first,
            )
        )
        return {
            (member_id, start + timedelta(days=n))
            for member_id, start, end in leaves.tuples()
            for n in range((end - start).days + 1)
        }
