"""Inactive members (ORG-18, [001] Zhanjiang "六个月以上未参加组织生活"): members on the rolls with no organisational
life for ``months`` whole months, counted from their last attendance, else from their joining, else from when the
record was made (a member who joined last month is not inactive). Dues are not recorded here (out of scope)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.activity.models import OrgLifeAttendance
from services.orgtree.activity.schemas import InactiveMember, InactiveReport
from services.orgtree.members.models import Member
from services.orgtree.nodes.models import OrgNode
from services.orgtree.nodes.services import NodeService, in_subtree
from shared.clock import CHINA, china_today


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def whole_months(since: date, today: date) -> int:
    return (today.year - since.year) * 12 + today.month - since.month - (today.day < since.day)


class ActivityService:
    def __init__(self, session: AsyncSession, nodes: NodeService) -> None:
        self.session = session
        self.nodes = nodes

    async def inactive(self, within: UUID | None, months: int, limit: int) -> InactiveReport:
        scope = await self.nodes.scope_path(within)
        today = china_today()
        cutoff = months_before(today, months)
        attended = func.date(func.timezone(CHINA.key, OrgLifeAttendance.attended_at))
        since = func.coalesce(attended, Member.joined_on, func.date(func.timezone(CHINA.key, Member.created_at)))
        query = (
            select(Member.id, Member.name, Member.branch_id, OrgNode.name, attended, since)
            .join(OrgNode, OrgNode.id == Member.branch_id)
            .outerjoin(OrgLifeAttendance, OrgLifeAttendance.member_id == Member.id)
            .where(since <= cutoff)
            .order_by(OrgNode.name, since, Member.name)
            .limit(limit)
        )
        if scope is not None:
            query = query.where(in_subtree(Member.grid_path, scope) | in_subtree(Member.branch_path, scope))
        rows = (await self.session.execute(query)).all()
        members = [
            InactiveMember(
                member_id=member_id,
                name=name,
                unit_id=unit_id,
                unit_name=unit_name,
                last_attended_on=last,
                months_inactive=whole_months(start, today),
            )
            for member_id, name, unit_id, unit_name, last, start in rows
        ]
        return InactiveReport(as_of=today, months=months, members=members)
