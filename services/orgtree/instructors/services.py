"""Instructors of grid party groups (ORG-11). With dual-network fusion every grid has its party group (ORG-04);
the district asks for a number of instructors per group from the township (its committee's cadres) and from the
community's (village's) own branch, one each by default [002]. A group is named by its own id or its grid's, so a
street admin, whose scope is the administrative tree, reaches it through the grid."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from services.orgtree.instructors.models import GroupInstructor
from services.orgtree.instructors.schemas import (
    GroupInstructorsView,
    InstructorCreate,
    InstructorEnd,
    InstructorGap,
    InstructorGapsView,
    InstructorView,
)
from services.orgtree.levels.services import district_settings, load_schema
from services.orgtree.members.models import Member
from services.orgtree.members.services import MemberService
from services.orgtree.nodes.models import OrgNode, TreeKind
from services.orgtree.nodes.paths import ancestor_paths
from services.orgtree.nodes.services import NodeService, in_subtree
from services.orgtree.terms import serves_on, serving_on
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today, now
from shared.db.repository import Repository
from shared.http.problems import conflict, invalid, missing

TOWNSHIP = "township"
COMMUNITY_BRANCH = "community_branch"
SOURCES = {TOWNSHIP: "乡镇指导员", COMMUNITY_BRANCH: "村（社区）指导员"}
TOWNSHIP_LEVELS = ("township_committee", "street_working_committee")


class InstructorRepository(Repository[GroupInstructor]):
    model_type = GroupInstructor
    noun = "instructor"


def serving(day: date) -> ColumnElement[bool]:
    return serving_on(GroupInstructor.since, GroupInstructor.until, day)


def instructor_view(row: GroupInstructor, member_name: str, today: date) -> InstructorView:
    return InstructorView(
        id=row.id,
        group_id=row.group_id,
        member_id=row.member_id,
        member_name=member_name,
        source=row.source,
        since=row.since,
        until=row.until,
        current=serves_on(row.since, row.until, today),
    )


async def required_counts(session: AsyncSession) -> dict[str, int]:
    settings = await district_settings(session)
    return {TOWNSHIP: settings.instructors_from_township, COMMUNITY_BRANCH: settings.instructors_from_branch}


class InstructorService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        instructors: InstructorRepository,
        nodes: NodeService,
        members: MemberService,
    ) -> None:
        self.session = session
        self.principal = principal
        self.instructors = instructors
        self.nodes = nodes
        self.members = members

    async def group_and_grid(self, node_id: UUID) -> tuple[OrgNode, OrgNode]:
        """The grid party group named by its own id or its grid's; anything else is a 422 naming the id."""
        node = await self.nodes.get(node_id)
        if node.tree == TreeKind.PARTY and node.level == "party_group" and node.linked_node_id is not None:
            grid = await self.session.get(OrgNode, node.linked_node_id)
            if grid is not None:
                return node, grid
        elif node.tree == TreeKind.ADMINISTRATIVE:
            spec = (await load_schema(self.session, node.tree)).levels.get(node.level)
            if spec is not None and spec.is_grid:
                group = await self.session.scalar(
                    select(OrgNode).where(OrgNode.level == "party_group", OrgNode.linked_node_id == node.id).limit(1)
                )
                if group is None:
                    raise invalid("path.nodeId", "this grid has no party group (dual-network fusion is off)")
                return group, node
        raise invalid("path.nodeId", "not a grid or a grid's party group")

    async def of_group(self, node_id: UUID) -> GroupInstructorsView:
        group, grid = await self.group_and_grid(node_id)
        rows = await self.session.execute(
            select(GroupInstructor, Member.name)
            .join(Member, Member.id == GroupInstructor.member_id)
            .where(GroupInstructor.group_id == group.id)
            .order_by(GroupInstructor.until.desc().nulls_first(), GroupInstructor.source, GroupInstructor.since)
        )
        today = china_today()
        required = await required_counts(self.session)
        return GroupInstructorsView(
            group_id=group.id,
            group_name=group.name,
            grid_id=grid.id,
            grid_name=grid.name,
            required_from_township=required[TOWNSHIP],
            required_from_branch=required[COMMUNITY_BRANCH],
            instructors=[instructor_view(row, name, today) for row, name in rows.all()],
        )

    async def _source_unit(self, group: OrgNode, source: str) -> OrgNode:
        """Where an instructor of ``source`` belongs: the group's branch, or the township committee above it."""
        if source == COMMUNITY_BRANCH:
            unit = await self.session.get(OrgNode, group.parent_id)
        else:
            unit = await self.session.scalar(
                select(OrgNode)
                .where(OrgNode.path.in_(ancestor_paths(group.path)), OrgNode.level.in_(TOWNSHIP_LEVELS))
                .order_by(OrgNode.path.desc())
                .limit(1)
            )
        if unit is None:
            raise invalid("source", "this group has no township committee above it")
        return unit

    async def assign(self, node_id: UUID, data: InstructorCreate) -> InstructorView:
        if data.source not in SOURCES:
            raise invalid("source", f"one of: {', '.join(SOURCES)}")
        today = china_today()
        if data.since > today:
            raise invalid("since", "an instructor cannot start in the future")
        group, _grid = await self.group_and_grid(node_id)
        member = await self.members.get(data.member_id)
        unit = await self._source_unit(group, data.source)
        branch = await self.session.get(OrgNode, group.parent_id)
        in_unit = member.branch_path.startswith(unit.path)
        in_branch = branch is not None and member.branch_path.startswith(branch.path)
        if data.source == COMMUNITY_BRANCH and not in_branch:
            raise invalid("memberId", f"a community instructor is a member of {unit.name}")
        if data.source == TOWNSHIP and (not in_unit or in_branch):
            raise invalid("memberId", f"a township instructor is a member of {unit.name} outside the group's branch")
        # the group's row lock: two assignments at once are counted one after the other
        await self.session.execute(select(OrgNode.id).where(OrgNode.id == group.id).with_for_update())
        current = await self.session.execute(
            select(GroupInstructor.member_id).where(
                GroupInstructor.group_id == group.id, GroupInstructor.source == data.source, serving(today)
            )
        )
        serving_now = list(current.scalars())
        if member.id in serving_now:
            raise conflict("this member already instructs this group")
        required = (await required_counts(self.session))[data.source]
        if len(serving_now) >= required:
            raise conflict(f"this group has its {required} {data.source} instructor(s); end one's term first")
        row = GroupInstructor(
            group_id=group.id,
            group_path=group.path,
            member_id=member.id,
            source=data.source,
            since=data.since,
            recorded_at=now(),
        )
        await self.instructors.add(row)
        await self._audit("orgtree.instructor.assigned", row)
        return instructor_view(row, member.name, today)

    async def end(self, instructor_id: UUID, data: InstructorEnd) -> InstructorView:
        row = await self.instructors.get_or_404(instructor_id)
        group = await self.session.get(OrgNode, row.group_id)
        grid = await self.session.get(OrgNode, group.linked_node_id) if group and group.linked_node_id else None
        if not any(self.principal.may_see_path(n.path) for n in (group, grid) if n is not None):
            raise missing(InstructorRepository.noun)
        if data.until < row.since:
            raise invalid("until", "the end comes before the start")
        if row.until is not None:
            raise conflict("this instructor's term has ended already")
        row.until = data.until
        await self.session.flush()
        await self._audit("orgtree.instructor.ended", row)
        name = await self.session.scalar(select(Member.name).where(Member.id == row.member_id))
        return instructor_view(row, name or "", china_today())

    async def _audit(self, action: str, row: GroupInstructor) -> None:
        detail = {"group_id": str(row.group_id), "source": row.source}
        await audit.record(self.session, action, subject_type="member", subject_id=str(row.member_id), detail=detail)

    async def gaps(self, within: UUID | None) -> InstructorGapsView:
        """Every grid party group in the scope (by its own path or its grid's) short of instructors today."""
        scope = await self.nodes.scope_path(within)
        grid = aliased(OrgNode)
        query = (
            select(OrgNode.id, OrgNode.name, grid.id, grid.name)
            .join(grid, grid.id == OrgNode.linked_node_id)
            .where(OrgNode.tree == TreeKind.PARTY, OrgNode.level == "party_group")
        )
        if scope is not None:
            query = query.where(or_(in_subtree(OrgNode.path, scope), in_subtree(grid.path, scope)))
        groups = (await self.session.execute(query.order_by(grid.path))).all()
        counted = await self.session.execute(
            select(GroupInstructor.group_id, GroupInstructor.source, func.count())
            .where(GroupInstructor.group_id.in_([g[0] for g in groups]), serving(china_today()))
            .group_by(GroupInstructor.group_id, GroupInstructor.source)
        )
        actual = {(group_id, source): int(n) for group_id, source, n in counted.all()}
        required = await required_counts(self.session)
        rows = [
            InstructorGap(
                group_id=group_id,
                group_name=group_name,
                grid_id=grid_id,
                grid_name=grid_name,
                source=source,
                required=need,
                actual=actual.get((group_id, source), 0),
                short_by=need - actual.get((group_id, source), 0),
            )
            for group_id, group_name, grid_id, grid_name in groups
            for source, need in required.items()
            if actual.get((group_id, source), 0) < need
        ]
        rows.sort(key=lambda r: -r.short_by)  # stable: the grids' order within the same shortfall
        return InstructorGapsView(
            as_of=china_today(), groups=len(groups), groups_lacking=len({r.group_id for r in rows}), rows=rows
        )
