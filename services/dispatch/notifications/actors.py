"""Event handlers of the dispatch service (notifications): deliver a message as soon as it is queued.

The handler runs inside ``EventConsumer.handle``'s transaction (the inbox row) but does not use it: the
attempt is claimed and its outcome recorded in two short transactions of its own (``delivery.py``), so no
lock on the delivery log is held across the network call. The inbox transaction stays open while the message
is sent (at most ``delivery_timeout_s``); it holds only its own new inbox row, which is exactly what makes
a redelivered envelope wait and then do nothing. Had the handler sent inside that transaction, a crash after
the send would roll back the record of it and the redelivery would send again with no trace in the log; this
way the attempt is on record before anything leaves, and a redelivery finds the row delivered or not due.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.events import consumer
from services.dispatch.models import Notification
from services.dispatch.notifications.delivery import Delivery
from shared.contracts.dispatch import NotificationQueued
from shared.messaging.consumer import EventConsumer, after_commit


def install(target: EventConsumer) -> Delivery:
    """Register the delivery handler on ``target``; its settings are the consumer's (tests pass their own)."""
    delivery = Delivery(lambda: target.settings)

    @target.on(NotificationQueued)
    async def deliver_queued(session: AsyncSession, event: NotificationQueued) -> None:
        if event.tenant_id is not None:  # queue_notification always names the district
            await delivery.deliver(event.tenant_id, event.notification_id)

    return delivery


delivery = install(consumer)


async def hand_over(session: AsyncSession, tenant_id: UUID | None, queued: list[Notification]) -> None:
    """From an event handler: claim these just-queued messages (``queue.collecting``) in its transaction and send
    them as soon as it commits, instead of a second trip through the outbox, relay and queue and a claiming
    transaction of each message's own. Should the process die first, the delivery sweep sends them when their
    lease runs out; the claim in ``delivery.py`` makes each attempt once either way."""
    if tenant_id is None or not queued:
        return
    claims = await delivery.claim_new(session, queued)
    if claims:

        async def send() -> None:
            await delivery.send_claimed(tenant_id, claims)

        after_commit(send)
