"""Write an event in the caller's transaction; the relay publishes it after commit."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.base import Event, payload_of
from shared.db.base import uuid7
from shared.db.kernel import outbox_message
from shared.messaging.context import current_request_id

_REQUEST_ID_MAX = 64  # outbox_message.request_id; a longer id must not fail the business transaction


async def publish(session: AsyncSession, event: Event, *, request_id: str | None = None) -> UUID:
    """Add ``event`` to the outbox in the caller's transaction; returns the envelope id consumers dedupe on.

    Never sends to Redis here: if the transaction rolls back, the event never happened. The row is
    the event's tenant's (RLS checks it against the transaction's tenant); the request id defaults
    to the one of the current unit of work.
    """
    message_id = uuid7()  # time-ordered: the outbox index appends
    request_id = request_id or current_request_id.get()
    await session.execute(
        insert(outbox_message).values(
            id=message_id,
            tenant_id=event.tenant_id,
            event=event.NAME,
            payload={"version": event.VERSION, **payload_of(event)},
            request_id=request_id[:_REQUEST_ID_MAX] if request_id else None,
        )
    )
    return message_id
