"""How a transfer between districts ends, as the gateway tells each district. Keyed on the offer: the receiving
district's row is inserted once (a redelivery finds it and does nothing), the sending one's changes only while the
member is leaving."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.events import consumer
from services.orgtree.honours.dispositions import acting_for
from services.orgtree.members.models import Member
from services.orgtree.members.posts import PostService
from services.orgtree.members.schemas import RemovalRequest
from services.orgtree.members.services import MemberService, membership_step
from services.orgtree.nodes.models import OrgNode
from services.orgtree.nodes.services import NodeService
from services.orgtree.transfers.models import DistrictTransfer
from shared import audit
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.orgtree import MemberCreated
from shared.contracts.transfers import MemberTransferAccepted, MemberTransferClosed
from shared.db.base import uuid7
from shared.http.views import view
from shared.messaging.outbox import publish


@consumer.on(MemberTransferAccepted)
async def receive_member(session: AsyncSession, event: MemberTransferAccepted) -> None:
    arrival = {
        "id": uuid7(),
        "tenant_id": require_tenant(),
        "offer_id": event.offer_id,
        "direction": "in",
        "member_id": event.member_id,
        "other_tenant_id": event.from_tenant_id,
        "other_district": event.from_district,
        "status": "arrived",
        "reason": event.reason,
        "transfer_on": event.transfer_on,
        "recorded_at": now(),
        "closed_at": now(),
    }
    first = await session.scalar(
        insert(DistrictTransfer)
        .values(**arrival)
        .on_conflict_do_nothing(constraint="uq_district_transfer_tenant_offer")
        .returning(DistrictTransfer.id)
    )
    if first is None:
        return
    branch = await session.get(OrgNode, event.branch_id)
    if branch is None:  # checked when accepted; a branch closed since cannot be chosen again here
        msg = f"the receiving branch {event.branch_id} is gone"
        raise LookupError(msg)
    facts = event.member
    member = Member(
        id=event.member_id,
        name=facts.name,
        gender=facts.gender,
        birth_date=facts.birth_date,
        classification=facts.classification,
        joined_on=facts.joined_on,
        flags=[],
        info_card={},
        branch_id=branch.id,
        branch_path=branch.path,
    )
    session.add(member)
    await session.flush()
    # the history shows where the member came from, when and why
    note = f"转入自{event.from_district}：{event.reason}"
    session.add(membership_step(member, None, branch.id, event.transfer_on, "joined", note=note))
    await audit.record(
        session,
        "orgtree.member.transferred_in",
        subject_type="member",
        subject_id=str(member.id),
        detail={"offerId": str(event.offer_id)},
    )
    await publish(session, view(MemberCreated, member, member_id=member.id))


@consumer.on(MemberTransferClosed)
async def close_offer(session: AsyncSession, event: MemberTransferClosed) -> None:
    leaving = await session.scalar(
        select(DistrictTransfer)
        .where(DistrictTransfer.offer_id == event.offer_id, DistrictTransfer.status == "leaving")
        .with_for_update()
    )
    if leaving is None:
        return  # closed before (a redelivery)
    leaving.closed_at, leaving.note = now(), event.note
    if event.outcome != "accepted":  # declined or withdrawn: the member stays, as before the offer
        leaving.status = "returned"
        return
    leaving.status = "transferred"
    principal = acting_for(require_tenant())
    members = MemberService(session, principal, NodeService(session, principal), PostService(session))
    removal = RemovalRequest(reason="transferred_out", removed_on=event.transfer_on, note=f"转入{event.to_district}")
    await members.remove(leaving.member_id, removal)
