"""Formal membership over time (ORG-17): transfers between party units, and who belonged where on a date."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.members.models import Member, MembershipTransfer
from services.orgtree.members.rules import TRANSFER_REASONS, check_choice
from services.orgtree.members.schemas import TransferRequest
from services.orgtree.members.services import MemberService, membership_step
from services.orgtree.nodes.models import TreeKind
from services.orgtree.nodes.services import NodeService
from shared.contracts.orgtree import MemberTransferred
from shared.http.problems import FieldErrors, conflict, invalid
from shared.http.views import view
from shared.messaging.outbox import publish

# A transfer moves membership between units; joining and removal have their own requests.
TRANSFERS = {k: v for k, v in TRANSFER_REASONS.items() if k not in {"joined", "removed"}}
LATEST_FIRST = (MembershipTransfer.transferred_on.desc(), MembershipTransfer.recorded_at.desc())


class MembershipService:
    def __init__(self, session: AsyncSession, members: MemberService, nodes: NodeService) -> None:
        self.session = session
        self.members = members
        self.nodes = nodes

    async def transfer(self, member_id: UUID, data: TransferRequest) -> MembershipTransfer:
        member = await self.members.get(member_id)
        errors = FieldErrors()
        check_choice(errors, "reason", data.reason, TRANSFERS)
        errors.raise_if_any("unknown transfer reason")
        target = await self.members.branch(data.to_branch_id, "toBranchId")
        if target.id == member.branch_id:
            raise conflict("the member already belongs to that party unit")
        if data.reason == "unqualified_after_reeducation" and target.level != "street_organ_branch":
            raise invalid("toBranchId", "members unqualified after re-education move to the street organ branch")
        last = await self.session.scalar(
            select(MembershipTransfer.transferred_on)
            .where(MembershipTransfer.member_id == member.id)
            .order_by(MembershipTransfer.transferred_on.desc())
            .limit(1)
        )
        if last is not None and data.transferred_on < last:
            raise invalid("transferredOn", f"earlier than the member's last recorded transfer ({last.isoformat()})")
        row = membership_step(member, member.branch_id, target.id, data.transferred_on, data.reason, note=data.note)
        self.session.add(row)
        previous = member.branch_id
        member.branch_id, member.branch_path = target.id, target.path
        if data.reason == "unqualified_after_reeducation":
            member.flags = sorted({*member.flags, "unqualified"})
        await self.session.flush()
        moved = {"from": str(previous), "to": str(target.id), "reason": data.reason}
        await self.members.record("orgtree.member.transferred", member, moved)
        await publish(self.session, view(MemberTransferred, row, to_branch_path=target.path))
        return row

    async def transfers(self, member_id: UUID) -> list[MembershipTransfer]:
        member = await self.members.get(member_id)
        rows = await self.session.scalars(
            select(MembershipTransfer)
            .where(MembershipTransfer.member_id == member.id)
            .order_by(MembershipTransfer.transferred_on, MembershipTransfer.recorded_at)
        )
        return list(rows)

    async def branch_as_of(self, member_id: UUID, on: date) -> UUID | None:
        member = await self.members.get(member_id)
        last: MembershipTransfer | None = await self.session.scalar(
            select(MembershipTransfer)
            .where(MembershipTransfer.member_id == member.id, MembershipTransfer.transferred_on <= on)
            .order_by(*LATEST_FIRST)
            .limit(1)
        )
        return last.to_branch_id if last else None

    async def roll_as_of(self, branch_id: UUID, on: date) -> list[tuple[UUID, str | None]]:
        """Who belonged to a party unit on a date, from the transfer history (removed members included)."""
        branch = await self.nodes.get_in_tree(branch_id, TreeKind.PARTY, "branchId")
        latest = (
            select(MembershipTransfer.member_id, MembershipTransfer.to_branch_id)
            .where(MembershipTransfer.transferred_on <= on)
            .ext(distinct_on(MembershipTransfer.member_id))
            .order_by(MembershipTransfer.member_id, *LATEST_FIRST)
            .subquery()
        )
        rows = await self.session.execute(
            select(latest.c.member_id, Member.name)
            .outerjoin(Member, Member.id == latest.c.member_id)
            .where(latest.c.to_branch_id == branch.id)
            .order_by(Member.name)
        )
        return [(member_id, name) for member_id, name in rows.all()]
