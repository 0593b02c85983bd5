"""What the gateway hears of an offer: the member's profile from the sending orgtree, the history from its training.
Either may come first, or before the request that made the offer has committed its row: each is an upsert on the
offer id (orgtree's event carries all the row needs), and a redelivery writes the same values again."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.events import consumer
from gateway.transfers.models import TransferOffer
from gateway.transfers.services import record_offer
from shared.contracts.transfers import MemberTransferOffered, TransferHistoryExported


def _facts(struct: msgspec.Struct) -> dict[str, Any]:
    facts: dict[str, Any] = msgspec.to_builtins(struct)
    return facts


@consumer.on(MemberTransferOffered, system=True)
async def hold_offer(session: AsyncSession, event: MemberTransferOffered) -> None:
    assert event.tenant_id is not None
    values = {
        "id": event.offer_id,
        "from_tenant_id": event.tenant_id,
        "to_tenant_id": event.to_tenant_id,
        "member_id": event.member_id,
        "status": "offered",
        "reason": event.reason,
        "transfer_on": event.transfer_on,
    }
    await record_offer(session, values)
    await session.execute(
        update(TransferOffer)
        .where(TransferOffer.id == event.offer_id, TransferOffer.from_tenant_id == event.tenant_id)
        .values(member=_facts(event.member))
    )


@consumer.on(TransferHistoryExported, system=True)
async def hold_history(session: AsyncSession, event: TransferHistoryExported) -> None:
    # training answers orgtree's event, which may still wait in this queue: until the row is there, fail and retry
    held = await session.execute(
        update(TransferOffer)
        .where(TransferOffer.id == event.offer_id, TransferOffer.from_tenant_id == event.tenant_id)
        .values(history=_facts(event.history))
        .returning(TransferOffer.id)
    )
    if held.first() is None:
        msg = f"offer {event.offer_id} is not held yet"
        raise LookupError(msg)
