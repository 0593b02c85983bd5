"""Huaining's dual network [002] beyond the trees: every grid party group's two instructors (a township cadre and
one of its own branch; some groups still waiting for theirs, so the gaps report has rows), the posts members
claimed with the dates and methods (some changed their post, so the history shows), the star levels the
townships' ratings published on the village branches and grid party groups (training's rounds, recorded here
as orgtree records training's events), the Red Flag titles of the two named communities, and when each member
last took part in organisational life (one in nine has not for more than six months), and the two communities'
branch committee elections. The seed gives none of
these figures: they are synthetic, the units they hang on are the demo's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.activity.models import OrgLifeAttendance
from services.orgtree.demo.builder import DemoBuilder
from services.orgtree.elections.models import Election, ElectionCandidate, ElectionVote
from services.orgtree.honours.models import HonourTitle, StarLevel
from services.orgtree.instructors.models import GroupInstructor
from services.orgtree.members.models import Member, PostClaim
from services.orgtree.nodes.models import OrgNode
from shared.db.base import uuid7

RATED_YEARS = ("2024", "2025")  # the yearly commitments' ratings, published each January after


@dataclass
class VillageNetwork:
    village: OrgNode
    branch: OrgNode
    grid: OrgNode
    members: list[Member]
    township_cadre: Member


@dataclass
class DualNetwork:
    villages: list[VillageNetwork] = field(default_factory=list)

    async def write(self, b: DemoBuilder, session: AsyncSession) -> None:
        grids = [v.grid.id for v in self.villages]
        groups = {
            group.linked_node_id: group
            for group in await session.scalars(
                select(OrgNode).where(OrgNode.level == "party_group", OrgNode.linked_node_id.in_(grids))
            )
        }
        rows: list[object] = []
        recorded = datetime.now(UTC)
        for n, v in enumerate(self.villages):
            group = groups[v.grid.id]
            if n % 10 != 3:  # one group in ten still waits for its township instructor
                rows.append(instructor(group, v.township_cadre, "township", recorded))
            if n % 12 != 5:  # one in twelve for its branch's
                rows.append(instructor(group, v.members[1], "community_branch", recorded))
            rows += claims(v, n, recorded)
            rows += stars(b, v.branch, "village_branch", n, recorded)
            rows += stars(b, group, "grid_group", n + 1, recorded)
            for k, member in enumerate(v.members):
                days = 200 + (n + k) % 90 if (n + k) % 9 == 0 else 3 + (n * 5 + k * 11) % 50
                rows.append(attendance(member.id, recorded - timedelta(days=days), recorded))
        rows += red_flags(self.villages, recorded)
        session.add_all(rows)
        await session.flush()
        for step in zip(
            *(elections(v, recorded) for v in self.villages if v.village.level == "community"), strict=True
        ):
            session.add_all([row for rows_of_kind in step for row in rows_of_kind])
            await session.flush()  # elections, then candidates, then votes: the foreign keys' order


def elections(v: VillageNetwork, at: datetime) -> tuple[list[Election], list[ElectionCandidate], list[ElectionVote]]:
    """The community's 2024 branch committee election: its five members stand for three seats, two rounds."""
    election = Election(
        id=uuid7(),
        tenant_id=v.branch.tenant_id,
        unit_id=v.branch.id,
        unit_path=v.branch.path,
        body="branch_committee",
        held_on=date(2024, 4, 18),
        seats=3,
        note="换届选举（示例）",
        recorded_at=at,
    )
    ways = ("organisation", "self", "members_jointly", "residents_jointly", "organisation")
    candidates = [
        ElectionCandidate(
            id=uuid7(),
            tenant_id=election.tenant_id,
            election_id=election.id,
            name=m.name,
            member_id=m.id,
            nominated_by=way,
        )
        for m, way in zip(v.members, ways, strict=True)
    ]
    first = (41, 38, 22, 19, 17)  # two elected in the first round, the third seat in the second
    votes = [
        ElectionVote(
            tenant_id=election.tenant_id, election_id=election.id, round=1, candidate_id=c.id, votes=n, elected=k < 2
        )
        for k, (c, n) in enumerate(zip(candidates, first, strict=True))
    ]
    votes += [
        ElectionVote(
            tenant_id=election.tenant_id, election_id=election.id, round=2, candidate_id=c.id, votes=n, elected=k == 0
        )
        for k, (c, n) in enumerate(zip(candidates[2:], (33, 21, 12), strict=True))
    ]
    return [election], candidates, votes


def instructor(group: OrgNode, member: Member, source: str, at: datetime) -> GroupInstructor:
    return GroupInstructor(
        tenant_id=group.tenant_id,
        group_id=group.id,
        group_path=group.path,
        member_id=member.id,
        source=source,
        since=date(2021, 3, 1),
        recorded_at=at,
    )


def claims(v: VillageNetwork, n: int, at: datetime) -> list[PostClaim]:
    """Each posted member's claim; in every fourth village the second member first claimed another post."""
    rows = []
    for k, member in enumerate(v.members):
        if member.post_code is None or member.post_method is None:
            continue
        claimed = date(2021, 3 + k, 1 + n % 27)
        if k == 1 and n % 4 == 0:
            earlier = "info_collector" if member.post_code != "info_collector" else "policy_promoter"
            first = date(2020, 4, 1 + n % 27)
            rows.append(claim(member, earlier, "self_nomination", on=first, ended=claimed, at=at))
        rows.append(claim(member, member.post_code, member.post_method, on=claimed, ended=None, at=at))
    return rows


def claim(member: Member, post: str, method: str, *, on: date, ended: date | None, at: datetime) -> PostClaim:
    return PostClaim(
        tenant_id=member.tenant_id,
        member_id=member.id,
        post_code=post,
        method=method,
        claimed_on=on,
        ended_on=ended,
        recorded_at=at,
    )


def stars(b: DemoBuilder, unit: OrgNode, kind: str, n: int, at: datetime) -> list[StarLevel]:
    rows = []
    level = 2 + n % 3
    for year in RATED_YEARS:
        level = min(5, level + b.rng.choice((0, 0, 1)))
        rows.append(
            StarLevel(
                tenant_id=unit.tenant_id,
                subject_kind=kind,
                subject_id=unit.id,
                rating_id=rating_id(kind, year),
                entry_id=uuid7(),
                period=year,
                level=level,
                note="按年度承诺践诺情况评定（示例）",
                published_at=datetime(int(year) + 1, 1, 15, 2, tzinfo=UTC),
                recorded_at=at,
            )
        )
    return rows


def rating_id(kind: str, year: str) -> UUID:
    """One rating round per kind and year (stable, so the demo's rounds group as training's would)."""
    return UUID(int=(int(year) << 8) + (1 if kind == "village_branch" else 2))


def red_flags(villages: list[VillageNetwork], at: datetime) -> list[HonourTitle]:
    """The named communities (凉亭社区, 大洼社区) made Red Flag Communities in 2021 and 2022."""
    communities = [v.village for v in villages if v.village.level == "community"]
    return [
        HonourTitle(
            tenant_id=unit.tenant_id,
            subject_kind="unit",
            subject_id=unit.id,
            award_id=uuid7(),
            title="red_flag_community",
            title_name="红旗社区",
            period=str(2021 + k),
            awarded_on=date(2021 + k, 12, 20),
            recorded_at=at,
        )
        for k, unit in enumerate(communities)
    ]


def attendance(member_id: UUID, on: datetime, at: datetime) -> OrgLifeAttendance:
    return OrgLifeAttendance(
        member_id=member_id,
        attendance_id=uuid7(),
        attended_at=on,
        category="organisational_life",
        recorded_at=at,
    )
