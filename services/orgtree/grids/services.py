"""A grid's leader: appointed when the post is vacant, refused when it is taken, vacated explicitly."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.grids.schemas import LeaderAppointment
from services.orgtree.members.services import MemberService
from services.orgtree.models import GridLeader, Member
from shared import audit
from shared.clock import china_today
from shared.contracts.orgtree import GridLeaderChanged
from shared.http.problems import conflict, invalid, missing
from shared.messaging.outbox import publish

LEADER_KINDS = {"red_collar_leader": "红领队长", "party_group_leader": "网格党小组组长"}


class GridLeaderService:
    def __init__(self, session: AsyncSession, members: MemberService) -> None:
        self.session = session
        self.members = members

    async def current(self, grid_id: UUID) -> tuple[GridLeader, Member] | None:
        grid = await self.members.grid(grid_id, "gridId")
        query = select(GridLeader, Member).join(Member, Member.id == GridLeader.member_id)
        row = (await self.session.execute(query.where(GridLeader.grid_id == grid.id))).first()
        return (row[0], row[1]) if row else None

    async def appoint(self, grid_id: UUID, data: LeaderAppointment) -> tuple[GridLeader, Member]:
        grid = await self.members.grid(grid_id, "gridId")
        if data.kind not in LEADER_KINDS:
            raise invalid("kind", f"one of: {', '.join(LEADER_KINDS)}")
        member = await self.members.get(data.member_id)
        if member.grid_id != grid.id:
            raise invalid("memberId", "the leader must be a member attached to this grid")
        row = GridLeader(
            grid_id=grid.id, grid_path=grid.path, member_id=member.id, kind=data.kind, since=data.since or china_today()
        )
        self.session.add(row)
        try:
            async with self.session.begin_nested():  # a taken post, or a concurrent appointment, fails the unique key
                await self.session.flush()
        except IntegrityError:
            raise conflict("this grid already has its leader; vacate the post before appointing another") from None
        await audit.record(
            self.session,
            "orgtree.grid.leader_appointed",
            subject_type="org_node",
            subject_id=str(grid.id),
            detail={"member_id": str(member.id), "kind": data.kind},
        )
        changed = GridLeaderChanged(
            tenant_id=grid.tenant_id, grid_id=grid.id, member_id=member.id, previous_member_id=None
        )
        await publish(self.session, changed)
        return row, member

    async def vacate(self, grid_id: UUID) -> None:
        current = await self.current(grid_id)
        if current is None:
            raise missing("leader of this grid")
        row, member = current
        await self.session.delete(row)
        await self.session.flush()
        await audit.record(
            self.session,
            "orgtree.grid.leader_vacated",
            subject_type="org_node",
            subject_id=str(row.grid_id),
            detail={"member_id": str(member.id)},
        )
        changed = GridLeaderChanged(
            tenant_id=row.tenant_id, grid_id=row.grid_id, member_id=None, previous_member_id=member.id
        )
        await publish(self.session, changed)
