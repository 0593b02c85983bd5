"""Training's part of a transfer between districts: the sending district answers the offer with the member's
history; the receiving one keeps it as carried over once the member is accepted."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.events import consumer
from services.training.people.models import Person
from services.training.people.services import member_created
from services.training.transfers.export import member_history
from services.training.transfers.imports import keep
from shared.contracts.orgtree import MemberCreated
from shared.contracts.transfers import MemberTransferAccepted, MemberTransferOffered, TransferHistoryExported
from shared.messaging.outbox import publish


@consumer.on(MemberTransferOffered)
async def export_history(session: AsyncSession, event: MemberTransferOffered) -> None:
    # a replay under a new envelope exports again: the gateway writes the same history on the same offer
    history = await member_history(session, event.member_id)
    exported = TransferHistoryExported(
        tenant_id=event.tenant_id, offer_id=event.offer_id, member_id=event.member_id, history=history
    )
    await publish(session, exported)


@consumer.on(MemberTransferAccepted)
async def import_history(session: AsyncSession, event: MemberTransferAccepted) -> None:
    # the person as orgtree will announce it (its MemberCreated may come before or after this: both are upserts)
    arriving = MemberCreated(
        tenant_id=event.tenant_id,
        member_id=event.member_id,
        grid_id=None,
        branch_id=event.branch_id,
        classification=event.member.classification,
        name=event.member.name,
    )
    await member_created(session, arriving)
    person_id = await session.scalar(select(Person.id).where(Person.member_id == event.member_id))
    assert person_id is not None
    await keep(session, person_id, event)
