"""Write an event in the caller's transaction; the relay publishes it after commit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.context import current_request_id
from shared.contracts.base import Event, payload_of
from shared.db.appends import append
from shared.db.base import uuid7
from shared.db.kernel import outbox_message

_REQUEST_ID_MAX = 64  # outbox_message.request_id; a longer id must not fail the business transaction


def _row(event: Event, request_id: str | None) -> dict[str, Any]:
    return {
        "id": uuid7(),  # time-ordered: the outbox index appends
        "tenant_id": event.tenant_id,
        "event": event.NAME,
        "payload": {"version": event.VERSION, **payload_of(event)},
        "request_id": request_id[:_REQUEST_ID_MAX] if request_id else None,
    }


async def publish(session: AsyncSession, event: Event, *, request_id: str | None = None) -> UUID:
    """Add ``event`` to the outbox in the caller's transaction; returns the envelope id consumers dedupe on.

    Never sends to Redis here: if the transaction rolls back, the event never happened. The row is
    the event's tenant's (RLS checks it against the transaction's tenant); the request id defaults
    to the one of the current unit of work.
    """
    row = _row(event, request_id or current_request_id.get())
    await append(session, outbox_message, row)  # with the commit, beside the transaction's other appended rows
    message_id: UUID = row["id"]
    return message_id


async def publish_many(session: AsyncSession, events: Sequence[Event]) -> None:
    """``publish`` for a batch (bulk imports, demo data): one multi-row INSERT, the same rows."""
    if events:
        request_id = current_request_id.get()
        await session.execute(insert(outbox_message), [_row(event, request_id) for event in events])
