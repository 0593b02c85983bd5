"""Report queries: each one a handful of range-bounded aggregates, never a walk over rows in Python."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import ColumnElement, and_, distinct, exists, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from services.orgtree.levels.services import district_settings
from services.orgtree.models import (
    CadrePosting,
    GridLeader,
    GuidanceContact,
    GuidanceLink,
    Household,
    HouseholdLink,
    Member,
    OrgNode,
)
from services.orgtree.nodes.services import NodeService, in_subtree
from services.orgtree.reports.schemas import (
    CadreGuidance,
    GuidanceReport,
    MemberLinkCount,
    NetworkBreakdown,
    NetworkLine,
    NetworkRollup,
    RedCellCoverage,
    UnpostedMember,
)
from shared.http.views import view, views

OUTSIDE_RANGE_SHOWN = 200
CHILDREN_SHOWN = 500
PathColumn = InstrumentedAttribute[str] | InstrumentedAttribute[str | None]


class ReportService:
    def __init__(self, session: AsyncSession, nodes: NodeService) -> None:
        self.session = session
        self.nodes = nodes

    @staticmethod
    def _within(column: object, path: str | None) -> ColumnElement[bool]:
        return in_subtree(column, path) if path is not None else true()  # type: ignore[arg-type]

    async def network(self, node_id: UUID) -> NetworkRollup:
        path = (await self.nodes.get(node_id)).path

        def postings(kind: str) -> ColumnElement[int]:
            return (
                select(func.count(distinct(CadrePosting.member_id)))
                .where(CadrePosting.kind == kind, in_subtree(CadrePosting.village_path, path))
                .scalar_subquery()
            )

        def rows_under(column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None]) -> ColumnElement[int]:
            return select(func.count()).where(in_subtree(column, path)).scalar_subquery()

        counts = select(
            postings("stationed").label("stationed_cadres"),
            postings("village").label("village_cadres"),
            rows_under(GridLeader.grid_path).label("red_collar_leaders"),
            rows_under(Member.grid_path).label("members"),
            rows_under(Household.grid_path).label("households"),
        )
        return view(NetworkRollup, (await self.session.execute(counts)).one(), node_id=node_id)

    async def network_breakdown(self, node_id: UUID) -> NetworkBreakdown:
        """The roll-up of a unit and of each unit directly under it: one statement, each figure a range count
        correlated to that unit's own path (so a street's twenty communities are twenty index ranges, not a walk)."""
        node = await self.nodes.get(node_id)

        def under_unit(column: PathColumn) -> ColumnElement[bool]:
            return and_(column >= OrgNode.path, column < OrgNode.path + "~")

        def postings(kind: str) -> ColumnElement[int]:
            return (
                select(func.count(distinct(CadrePosting.member_id)))
                .where(CadrePosting.kind == kind, under_unit(CadrePosting.village_path))
                .scalar_subquery()
            )

        def rows_under(column: PathColumn) -> ColumnElement[int]:
            return select(func.count()).where(under_unit(column)).scalar_subquery()

        lines = await self.session.execute(
            select(
                OrgNode.id.label("node_id"),
                OrgNode.name,
                OrgNode.level,
                postings("stationed").label("stationed_cadres"),
                postings("village").label("village_cadres"),
                rows_under(GridLeader.grid_path).label("red_collar_leaders"),
                rows_under(Member.grid_path).label("members"),
                rows_under(Household.grid_path).label("households"),
            )
            .where(or_(OrgNode.id == node.id, OrgNode.parent_id == node.id))
            .order_by(OrgNode.path)  # the unit's own path is a prefix of its children's: it comes first
            .limit(CHILDREN_SHOWN + 2)
        )
        unit, *children = views(NetworkLine, lines)
        return NetworkBreakdown(
            unit=unit, children=children[:CHILDREN_SHOWN], more_children=len(children) > CHILDREN_SHOWN
        )

    async def coverage(self, node_id: UUID | None) -> RedCellCoverage:
        path = await self.nodes.scope_path(node_id)
        settings = await district_settings(self.session)
        links = func.count(HouseholdLink.id)
        per_member = (
            select(Member.id, Member.name, links.label("n"))
            .outerjoin(HouseholdLink, HouseholdLink.member_id == Member.id)
            .where(self._within(Member.grid_path, path))
            .group_by(Member.id, Member.name)
            .subquery()
        )
        outside = ~per_member.c.n.between(settings.household_links_min, settings.household_links_max)
        below = per_member.c.n < settings.household_links_min
        over = per_member.c.n > settings.household_links_max
        count_members = select(func.count(), func.count().filter(below), func.count().filter(over)).select_from(
            per_member
        )
        members, below_count, over_count = (await self.session.execute(count_members)).one()
        shown = await self.session.execute(
            select(per_member.c.id.label("member_id"), per_member.c.name, per_member.c.n.label("households"))
            .where(outside)
            .order_by(per_member.c.n, per_member.c.name)
            .limit(OUTSIDE_RANGE_SHOWN)
        )
        households_in = self._within(Household.grid_path, path)
        served = exists().where(HouseholdLink.household_id == Household.id)
        count_households = (
            select(func.count(), func.count().filter(~served)).select_from(Household).where(households_in)
        )
        total, unserved = (await self.session.execute(count_households)).one()
        return RedCellCoverage(
            node_id=node_id,
            links_min=settings.household_links_min,
            links_max=settings.household_links_max,
            members=members,
            members_outside_range=below_count + over_count,
            members_below_range=below_count,
            members_over_range=over_count,
            outside_range=views(MemberLinkCount, shown),
            households=total,
            unserved_households=unserved,
            coverage_percent=round(100.0 * (total - unserved) / total, 1) if total else 0.0,
        )

    async def guidance(self, month: date, node_id: UUID | None) -> GuidanceReport:
        """Cadres with a guided member contacted fewer times than required in ``month``, or guiding too few/many."""
        path = await self.nodes.scope_path(node_id)
        settings = await district_settings(self.session)
        start = month.replace(day=1)
        end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        contacts = (
            select(GuidanceContact.link_id, func.count().label("n"))
            .where(GuidanceContact.contacted_on >= start, GuidanceContact.contacted_on < end)
            .group_by(GuidanceContact.link_id)
            .subquery()
        )
        below = func.coalesce(contacts.c.n, 0) < settings.guidance_contacts_per_month
        rows = await self.session.execute(
            select(
                Member.id.label("cadre_id"),
                Member.name,
                func.count(GuidanceLink.id).label("guided_members"),
                func.count().filter(below).label("links_below_minimum"),
            )
            .join(GuidanceLink, GuidanceLink.cadre_id == Member.id)
            .outerjoin(contacts, contacts.c.link_id == GuidanceLink.id)
            .where(and_(self._within(Member.grid_path, path) | self._within(Member.branch_path, path)))
            .group_by(Member.id, Member.name)
            .order_by(Member.name)
        )
        report = []
        for row in rows.all():
            outside = not settings.guided_members_min <= row.guided_members <= settings.guided_members_max
            if row.links_below_minimum or outside:
                report.append(view(CadreGuidance, row, outside_range=outside))
        return GuidanceReport(
            month=start.strftime("%Y-%m"),
            contacts_required=settings.guidance_contacts_per_month,
            guided_min=settings.guided_members_min,
            guided_max=settings.guided_members_max,
            cadres_below_minimum=report,
        )

    async def unposted(self, node_id: UUID | None, limit: int) -> list[UnpostedMember]:
        """ORG-14: members without office who have not yet claimed a post."""
        path = await self.nodes.scope_path(node_id)
        rows = await self.session.execute(
            select(Member.id.label("member_id"), Member.name, Member.grid_id, OrgNode.name.label("grid_name"))
            .outerjoin(OrgNode, OrgNode.id == Member.grid_id)
            .where(
                Member.flags.contains(["without_office"]),
                Member.post_code.is_(None),
                self._within(Member.grid_path, path) | self._within(Member.branch_path, path),
            )
            .order_by(Member.name)
            .limit(limit)
        )
        return views(UnpostedMember, rows)
