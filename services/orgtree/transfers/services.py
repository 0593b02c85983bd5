"""The district's side of a transfer between districts. Offering: the member must be the caller's to see, not already
leaving and not leading a grid (its households would be left without a leader); the row marks the member as leaving
until the gateway says how it ended. The receiving district's branch is checked here before the gateway accepts."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.grids.models import GridLeader
from services.orgtree.members.models import Member
from services.orgtree.members.services import MemberService
from services.orgtree.nodes.models import OrgNode
from services.orgtree.transfers.models import DistrictTransfer
from services.orgtree.transfers.schemas import OutgoingTransfer
from shared.auth.principal import Principal
from shared.clock import now
from shared.contracts.transfers import MemberTransferOffered, TransferredMember
from shared.http.problems import conflict, invalid
from shared.messaging.outbox import publish


def offered_member(member: Member) -> TransferredMember:
    return TransferredMember(
        name=member.name,
        gender=member.gender,
        birth_date=member.birth_date,
        classification=member.classification,
        joined_on=member.joined_on,
    )


class DistrictTransferService:
    def __init__(self, session: AsyncSession, principal: Principal, members: MemberService) -> None:
        self.session = session
        self.principal = principal
        self.members = members

    async def offer(self, data: OutgoingTransfer) -> DistrictTransfer:
        if data.to_tenant_id == self.principal.tenant_id:
            raise invalid("toTenantId", "a member is transferred within the own district by a transfer between units")
        member = await self.members.locked(data.member_id)
        if await self.leaving(member.id) is not None:
            raise conflict("this member is already leaving: an offer to another district is open")
        if await self.session.scalar(select(GridLeader.id).where(GridLeader.member_id == member.id)):
            raise conflict("this member leads a grid; appoint or vacate the grid's leader first")
        row = DistrictTransfer(
            offer_id=data.offer_id,
            direction="out",
            member_id=member.id,
            other_tenant_id=data.to_tenant_id,
            other_district=data.to_district,
            status="leaving",
            reason=data.reason,
            transfer_on=data.transfer_on,
            recorded_at=now(),
        )
        self.session.add(row)
        await self.session.flush()
        await self.members.record("orgtree.member.transfer_offered", member, {"offerId": str(data.offer_id)})
        offered = MemberTransferOffered(
            tenant_id=member.tenant_id,
            offer_id=data.offer_id,
            member_id=member.id,
            to_tenant_id=data.to_tenant_id,
            reason=data.reason,
            transfer_on=data.transfer_on,
            member=offered_member(member),
        )
        await publish(self.session, offered)
        return row

    async def leaving(self, member_id: UUID) -> DistrictTransfer | None:
        found: DistrictTransfer | None = await self.session.scalar(
            select(DistrictTransfer).where(
                DistrictTransfer.member_id == member_id, DistrictTransfer.status == "leaving"
            )
        )
        return found

    async def of_member(self, member_id: UUID) -> list[DistrictTransfer]:
        rows = await self.session.scalars(
            select(DistrictTransfer)
            .where(DistrictTransfer.member_id == member_id)
            .order_by(DistrictTransfer.recorded_at.desc())
        )
        return list(rows)

    async def receiving_branch(self, branch_id: UUID) -> OrgNode:
        """A party branch of this district that holds members (the receiving admin's choice)."""
        return await self.members.branch(branch_id, "branchId")
