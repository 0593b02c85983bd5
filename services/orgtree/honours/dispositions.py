"""Carrying out a failed re-education (4.7 item 3.5, EVT-02): the membership moves to the street organ branch of
the member's street and the member is flagged "unqualified". When that cannot be done yet (no organ branch in
the street, the member gone) the disposition stays pending with the reason, listed for the street to resolve."""

from __future__ import annotations

import uuid
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.honours.models import Disposition, DispositionState
from services.orgtree.members.membership import MembershipService
from services.orgtree.members.models import Member, MembershipTransfer
from services.orgtree.members.schemas import TransferRequest
from services.orgtree.nodes.models import OrgNode, TreeKind
from shared.auth.principal import Principal, Role
from shared.clock import now
from shared.contracts.orgtree import MemberUpdated
from shared.http.di import build_service
from shared.http.problems import ProblemError
from shared.http.views import view
from shared.messaging.outbox import publish

STREET_COMMITTEES = ("street_working_committee", "township_committee")
ORGAN_BRANCH = "street_organ_branch"
REASON = "unqualified_after_reeducation"
UNQUALIFIED = "unqualified"


def ancestors(path: str) -> list[str]:
    """``/a/b/c/`` -> ``/a/``, ``/a/b/``, ``/a/b/c/``: the paths of a unit and every unit above it."""
    segments = [s for s in path.split("/") if s]
    return ["/" + "/".join(segments[: i + 1]) + "/" for i in range(len(segments))]


async def street_organ_branch(session: AsyncSession, branch_path: str) -> OrgNode | None:
    """The organ branch under the street (or township) committee above ``branch_path``, if it has one."""
    committee = await session.scalar(
        select(OrgNode.id)
        .where(OrgNode.path.in_(ancestors(branch_path)), OrgNode.level.in_(STREET_COMMITTEES))
        .order_by(func.length(OrgNode.path).desc())
        .limit(1)
    )
    if committee is None:
        return None
    organ: OrgNode | None = await session.scalar(
        select(OrgNode)
        .where(OrgNode.parent_id == committee, OrgNode.tree == TreeKind.PARTY, OrgNode.level == ORGAN_BRANCH)
        .order_by(OrgNode.created_at, OrgNode.id)
        .limit(1)
    )
    return organ


def acting_for(tenant_id: UUID) -> Principal:
    """The district acting on training's conclusion: the transfer is the district's, not a scoped user's."""
    return Principal(user_id=uuid.UUID(int=0), tenant_id=tenant_id, roles=frozenset({Role.DISTRICT_ADMIN}))


async def carry_out(session: AsyncSession, disposition: Disposition, principal: Principal) -> None:
    """Transfer and flag, or leave the disposition pending with the reason; never raises for a domain refusal."""
    member = await session.get(Member, disposition.member_id)
    if member is None:
        _pending(disposition, "the member is no longer on the district's rolls")
        return
    organ = await street_organ_branch(session, member.branch_path)
    if organ is None:
        _pending(disposition, "the member's street has no street organ branch (街道机关支部); add one, then retry")
        return
    flags_before = list(member.flags)
    if member.branch_id != organ.id:
        last = await session.scalar(
            select(func.max(MembershipTransfer.transferred_on)).where(MembershipTransfer.member_id == member.id)
        )
        request = TransferRequest(
            to_branch_id=organ.id,
            # on the day training concluded, unless the history has a later step (the roll stays in order)
            transferred_on=max(disposition.concluded_on, last or disposition.concluded_on),
            reason=REASON,
            note="教育后仍不合格(党风党性教育)",
        )
        try:
            await build_service(MembershipService, session, principal).transfer(member.id, request)
        except ProblemError as refused:  # e.g. a later transfer already on record: the street decides
            _pending(disposition, str(refused.detail))
            return
    member.flags = sorted({*member.flags, UNQUALIFIED})
    await session.flush()
    if member.flags != flags_before:  # training keeps people's flags from MemberUpdated
        await publish(session, view(MemberUpdated, member, member_id=member.id, changed=["flags"]))
    disposition.state, disposition.to_branch_id = DispositionState.TRANSFERRED, organ.id
    disposition.problem, disposition.resolved_at = None, now()


def _pending(disposition: Disposition, problem: str) -> None:
    disposition.state, disposition.problem = DispositionState.PENDING, problem
