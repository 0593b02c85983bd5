"""The demo's member volunteers: the first members of one grid in Longwan and Ouhai sign in with the logins the
gateway's loader made (``gateway/demo.py``), carry its synthetic names and a synthetic phone for the offer SMS.

Run on every ``redcell demo load``, whether the tree was built now or before, and changes only what differs, so
an existing development database gains its volunteers too. Each change is announced (``MemberUpdated``) like an
API change, so dispatch's member volunteers follow.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.households.models import Household
from services.orgtree.links.models import HouseholdLink
from services.orgtree.members.models import Member
from services.orgtree.members.rules import phone_lookup_key, protect_member
from services.orgtree.nodes.models import OrgNode
from shared import audit
from shared.context import require_tenant
from shared.contracts.orgtree import MemberUpdated
from shared.http.views import view
from shared.messaging.outbox import publish
from shared.privacy import data_key, decrypt

# slug: the grid whose first members are the volunteers (its members serve its households, so a call from one
# of them is offered to the serving volunteer, or to another volunteer of the grid)
VOLUNTEER_GRIDS = {
    "wenzhou-longwan": "示例一村第一网格",
    "wenzhou-ouhai": "杨宅村第一网格",
    "jiaxing-nanhu": "穆河社区第一网格",
}


def volunteer_phone(region_code: str, number: int) -> str:
    """Synthetic mobile numbers no demo member or household has (theirs start 13, 15, 17 or 18)."""
    return f"199{region_code[-2:]}{number:06d}"


async def link_volunteers(
    session: AsyncSession, slug: str, region_code: str, volunteers: list[dict[str, Any]]
) -> list[str]:
    """Make the grid's first members the ``volunteers`` (``{"username", "userId", "name"}``); record in each dict
    what dispatch's loader needs (``memberId``, ``gridId``, ``phone``). Returns what to print."""
    if not volunteers or slug not in VOLUNTEER_GRIDS:
        return []
    grid = await session.scalar(select(OrgNode).where(OrgNode.level == "grid", OrgNode.name == VOLUNTEER_GRIDS[slug]))
    if grid is None:
        return []
    members = list(
        await session.scalars(
            select(Member).where(Member.grid_path == grid.path).order_by(Member.id).limit(len(volunteers))
        )
    )
    lines = []
    for number, (volunteer, member) in enumerate(zip(volunteers, members, strict=False), start=1):
        phone = volunteer_phone(region_code, number)
        await _become(session, member, UUID(volunteer["userId"]), volunteer["name"], phone)
        volunteer |= {"memberId": str(member.id), "gridId": str(grid.id), "phone": phone}
        lines.append(
            f"  {volunteer['username']} is {member.name}, member in {grid.name}; {await _serving(session, member)}"
        )
    return lines


async def _become(session: AsyncSession, member: Member, user_id: UUID, name: str, phone: str) -> None:
    changed = []
    if member.user_id != user_id:
        # one login signs in as one member: take it from any other member first
        await session.execute(update(Member).where(Member.user_id == user_id).values(user_id=None))
        member.user_id = user_id
        changed.append("userId")
    if member.name != name:
        member.name = name
        changed.append("name")
    if member.phone_index != await phone_lookup_key(session, "member.phone", phone):
        await protect_member(session, member, id_card=None, phone=phone)
        changed.append("phone")
    if not changed:
        return
    await session.flush()
    await audit.record(
        session, "orgtree.member.updated", subject_type="member", subject_id=str(member.id), detail={"fields": changed}
    )
    updated = view(MemberUpdated, member, member_id=member.id, changed=changed, user_id=user_id)
    await publish(session, updated)


async def _serving(session: AsyncSession, member: Member) -> str:
    """How many households the member serves, and the number one of them calls the hotline from."""
    served = select(Household).join(HouseholdLink, HouseholdLink.household_id == Household.id)
    served = served.where(HouseholdLink.member_id == member.id)
    count = await session.scalar(select(func.count()).select_from(served.subquery()))
    first = await session.scalar(served.order_by(Household.label).limit(1))
    if first is None or first.phone_cipher is None:
        return f"serves {count} households"
    keys = await data_key(session, require_tenant())
    caller = decrypt(keys, "household.phone", first.phone_cipher)
    return f"serves {count} households; household {first.label} calls from {caller}"
