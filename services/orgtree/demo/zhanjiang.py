"""Zhanjiang's lost-contact member return programme [001/ZJ], shown in Ouhai's demo district: members of three
branches lost when their firm closed or they went away, searched for by the "dual search" and the "three entries,
three checks", regrouped by location, workplace, interest and business, one found unqualified, some still searched
for. Pudong's Sunshine stations (阳光驿站 [001/PD]) stand in three of its streets with the services each offers. The
seed names no branch, firm, station or person here: the new branches and the stations carry 「（示例）」, the members'
names are the builder's synthetic ones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.demo.builder import SYNTHETIC, DemoBuilder
from services.orgtree.lost_members.models import LostMemberCase, LostMemberStep
from services.orgtree.members.models import MembershipTransfer
from services.orgtree.models import OrgNode, TreeKind
from shared.contracts.orgtree import MemberTransferred

DISTRICT = "wenzhou-ouhai"
WAYS = ("location", "workplace", "interest", "business")
# (how contact was lost, searches made, found by, the end: a way of regrouping, "unqualified", or None)
CASES = (
    ("firm_closed", ("closed_firm_roster", "community"), "organisation_finds_member", "location"),
    ("moved_away", ("organisation_finds_member", "police_station"), "member_finds_organisation", "workplace"),
    ("no_contact", ("community",), "community", "interest"),
    ("moved_away", ("police_station",), "member_finds_organisation", "business"),
    ("firm_closed", ("closed_firm_roster",), "closed_firm_roster", "location"),
    ("no_contact", ("community", "police_station"), "community", "unqualified"),
    ("documents_lost", ("organisation_finds_member",), "member_finds_organisation", None),
    ("firm_closed", ("closed_firm_roster", "police_station"), None, None),
    ("moved_away", ("organisation_finds_member",), None, None),
)
STATIONS = (  # street index: the services of its station
    ("membership_transfer", "mobile_member_branch", "reading_room"),
    ("membership_transfer", "reading_room"),
    ("membership_transfer", "mobile_member_branch"),
)
NEW_BRANCHES = {  # way -> the branch members found that way are regrouped into
    "workplace": "娄桥农贸市场联合党支部",
    "interest": "老年书画兴趣党支部",
    "business": "温州瓯海商会（上海）党支部",
}


def flags_after(end: str | None) -> list[str]:
    """The member's flags where the case ends: found unqualified, regrouped (none), or still lost."""
    return ["unqualified"] if end == "unqualified" else [] if end in WAYS else ["lost_contact"]


def state_of(found_by: str | None, end: str | None) -> str:
    if found_by is None:
        return "searching"
    if end is None:
        return "found"
    return "unqualified" if end == "unqualified" else "regrouped"


async def lost_members(session: AsyncSession, slug: str, region: str) -> None:
    if slug != DISTRICT:
        return
    b = DemoBuilder(session, region, seed=16_001)
    b.serial = 900  # clear of the district's own members' ID numbers
    branches = list(
        await session.scalars(
            select(OrgNode).where(OrgNode.tree == TreeKind.PARTY, OrgNode.level == "branch").order_by(OrgNode.path)
        )
    )
    committee = await session.get(OrgNode, branches[0].parent_id)
    assert committee is not None
    targets = {way: b.unit(committee, "branch", f"{name}{SYNTHETIC}") for way, name in NEW_BRANCHES.items()}
    targets["location"] = branches[1]
    streets = await session.scalars(select(OrgNode).where(OrgNode.level == "street").order_by(OrgNode.path).limit(3))
    for street, services in zip(streets, STATIONS, strict=True):
        b.venue(
            street,
            "sunshine_station",
            f"{street.name}阳光驿站{SYNTHETIC}",
            opening_hours="9:00-21:00",
            services=list(services),
        )
    await b.flush()
    recorded = datetime.now(UTC)
    for number, (how, searches, found_by, end) in enumerate(CASES):
        home = branches[2 + number % 3]
        lost_since = date(2016 + number % 4, 1 + number, 10)
        member = await b.member(home, None, flags=flags_after(end))
        case = LostMemberCase(
            member_id=member.id,
            member_name=member.name,
            unit_id=home.id,
            unit_path=home.path,
            grid_path=None,
            how_lost=how,
            lost_since=lost_since,
            state=state_of(found_by, end),
            regrouped_by=end if end in WAYS else None,
            to_branch_id=targets[end].id if end in WAYS else None,
            opened_at=recorded,
        )
        steps: list[tuple[str, str | None, date]] = [("opened", None, lost_since)]
        steps += [
            ("searched", channel, date(2024, 3, 1) + timedelta(days=20 * k)) for k, channel in enumerate(searches)
        ]
        if found_by is not None:
            steps.append(("found", found_by, date(2024, 6, 1) + timedelta(days=number)))
        if end is not None:
            steps.append(
                ("regrouped" if end in WAYS else "unqualified", end if end in WAYS else None, date(2024, 7, 1))
            )
        if end in WAYS:
            target = targets[end]
            member.branch_id, member.branch_path = target.id, target.path
            moved = MembershipTransfer(
                tenant_id=member.tenant_id,
                member_id=member.id,
                from_branch_id=home.id,
                to_branch_id=target.id,
                transferred_on=date(2024, 7, 1),
                reason=f"regrouped_by_{end}",
                recorded_at=recorded,
            )
            b.pending.append(moved)
            # dispatch and training follow the member to the new branch, as after a transfer over the API
            b.events.append(
                MemberTransferred(
                    tenant_id=member.tenant_id,
                    member_id=member.id,
                    from_branch_id=home.id,
                    to_branch_id=target.id,
                    transferred_on=moved.transferred_on,
                    reason=moved.reason,
                    to_branch_path=target.path,
                )
            )
        await b.flush()
        session.add(case)
        await session.flush()
        session.add_all(
            LostMemberStep(
                case_id=case.id,
                kind=kind,
                channel=channel,
                happened_on=on,
                note="",
                recorded_by=None,
                recorded_at=recorded + timedelta(seconds=k),
            )
            for k, (kind, channel, on) in enumerate(steps)
        )
    await session.flush()
