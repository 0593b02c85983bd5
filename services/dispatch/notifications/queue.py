"""Put a message in the delivery log; the worker delivers it after commit (outbox → queue → channel)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Notification
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.dispatch import NotificationQueued
from shared.db.base import uuid7
from shared.messaging.outbox import publish

_collected: ContextVar[list[Notification] | None] = ContextVar("dispatch_queued_notifications", default=None)


@contextmanager
def collecting() -> Iterator[list[Notification]]:
    """The messages queued inside the block (added to the session, not yet flushed), for a caller that claims
    them in its own transaction and sends them right after its commit (an event handler:
    ``notifications.actors.hand_over``). They get no ``NotificationQueued``: a second trip through the outbox and
    the queue would cost each message another transaction for nothing. If the process dies between the commit and
    the send, the delivery sweep picks them up once their claim's lease has run out."""
    queued: list[Notification] = []
    token = _collected.set(queued)
    try:
        yield queued
    finally:
        _collected.reset(token)


async def queue_notification(
    session: AsyncSession,
    *,
    template: str,
    recipient_kind: str,
    channel: str,
    recipient_id: UUID | None = None,
    ticket_id: UUID | None = None,
    offer_id: UUID | None = None,
    params: dict[str, Any] | None = None,
) -> Notification:
    """``params`` must hold no personal data: the channel decrypts a phone number at the moment of sending."""
    row = Notification(
        id=uuid7(),  # known before the flush: a collected message is written with the handler's other rows
        tenant_id=require_tenant(),
        template=template,
        recipient_kind=recipient_kind,
        recipient_id=recipient_id,
        channel=channel,
        ticket_id=ticket_id,
        offer_id=offer_id,
        params=params or {},
        status="pending",
        attempts=0,
        next_attempt_at=now(),
        # every column given, so that the rows of one flush go in one INSERT whatever their outcome
        last_error=None,
        first_attempt_at=None,
        delivered_at=None,
    )
    session.add(row)
    collected = _collected.get()
    if collected is not None:
        collected.append(row)
        return row
    await session.flush()
    await publish(session, NotificationQueued(tenant_id=require_tenant(), notification_id=row.id))
    return row
