"""Write an event in the caller's transaction; the relay publishes it after commit."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.base import Event, payload_of
from shared.db.base import uuid7
from shared.db.kernel import outbox_message
from shared.messaging.context import current_request_id


async def publish(session: AsyncSession, event: Event, *, request_id: str | None = None) -> UUID:
    """Never sends to Redis here: if the transaction rolls back, the event never happened."""
    message_id = uuid7()
    await session.execute(
        insert(outbox_message).values(
            id=message_id,
            tenant_id=event.tenant_id,
            event=event.NAME,
            payload={"version": event.VERSION, **payload_of(event)},
            request_id=request_id or current_request_id.get(),
        )
    )
    return message_id
