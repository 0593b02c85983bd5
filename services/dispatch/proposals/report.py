"""The closure rate (办结率) of proposals filed in a period, per community or street: closed / filed, as Futian's
福华社区 counted it [001/SZ-24: 85 of 112 issues solved, 75.9 %]. One aggregate statement; staff confined to a
subtree count only its communities."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.proposals.models import TIERS, Proposal, ProposalStatus, Tier
from services.dispatch.proposals.period import period
from services.dispatch.proposals.schemas import ClosureReport, UnitClosure
from services.dispatch.proposals.services import ProposalService
from shared.http.problems import invalid

BY = ("community", "street")


def closure(unit_id: UUID | None, name: str | None, proposals: int, closed: int, escalated: int) -> UnitClosure:
    rate = round(closed / proposals, 4) if proposals else None
    return UnitClosure(
        unit_id=unit_id, name=name, proposals=proposals, closed=closed, escalated=escalated, closure_rate=rate
    )


class ClosureReportService:
    def __init__(self, session: AsyncSession, proposals: ProposalService) -> None:
        self.session = session
        self.proposals = proposals

    async def report(self, first: str | None, last: str | None, by: str) -> ClosureReport:
        start, end = period(first, last)
        if by not in BY:
            raise invalid("query.by", f"one of: {', '.join(BY)}")
        unit_id, unit_name = (
            (Proposal.community_id, Proposal.community_name)
            if by == "community"
            else (Proposal.street_id, Proposal.street_name)
        )
        closed = Proposal.status == ProposalStatus.CLOSED
        counting: Any = select(  # its row type is SQLAlchemy's, visible() takes any select
            unit_id,
            unit_name,
            Proposal.tier,
            func.count().label("proposals"),
            func.count().filter(closed).label("closed"),
        ).where(Proposal.filed_on >= start, Proposal.filed_on <= end)
        query = self.proposals.visible(counting).group_by(unit_id, unit_name, Proposal.tier)
        units: dict[UUID | None, list[int]] = {}
        names: dict[UUID | None, str | None] = {}
        by_tier = dict.fromkeys(TIERS, 0)
        for row in (await self.session.execute(query)).all():
            counts = units.setdefault(row[0], [0, 0, 0])
            names[row[0]] = row[1]
            counts[0] += row.proposals
            counts[1] += row.closed
            counts[2] += row.proposals if row.tier != Tier.COMMUNITY else 0
            by_tier[Tier(row.tier)] += row.closed
        lines = [closure(unit, names[unit], *counts) for unit, counts in units.items()]
        lines.sort(key=lambda u: (u.closure_rate is None, -(u.closure_rate or 0.0), -u.proposals, u.name or ""))
        totals = [sum(u.proposals for u in lines), sum(u.closed for u in lines), sum(u.escalated for u in lines)]
        return ClosureReport(
            from_=start,
            to=end,
            by=by,
            total=closure(None, None, *totals),
            closed_by_tier={str(tier): count for tier, count in by_tier.items()},
            units=lines,
        )
