"""Scheduled sweeps of this area (see services/dispatch/schedule.py): retries of the delivery log.

Every 5 s: messages whose retry is due, and pending ones whose event seems lost (still pending 30 s after
they were due; normally the worker takes them within milliseconds). Found across districts with the system
role, delivered with the app role inside each district's tenant scope; the claim in ``delivery.py`` makes
each attempt happen once however many sweeps or workers race for it.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from sqlalchemy import and_, or_, select

from services.dispatch import SERVICE
from services.dispatch.models import Notification
from services.dispatch.notifications.delivery import Delivery, deliver_many
from shared.clock import now
from shared.scheduler import Job, due_across_districts
from shared.settings import Settings

INTERVAL_S = 5.0
PENDING_GRACE = timedelta(seconds=30)
BATCH = 200


async def due_notifications(settings: Settings, limit: int = BATCH) -> list[tuple[UUID, UUID]]:
    current = now()
    retry_due = and_(Notification.status == "retrying", Notification.next_attempt_at <= current)
    seems_lost = and_(Notification.status == "pending", Notification.next_attempt_at <= current - PENDING_GRACE)
    query = (
        select(Notification.tenant_id, Notification.id)
        .where(or_(retry_due, seems_lost))
        .order_by(Notification.next_attempt_at)
        .limit(limit)
    )
    rows = await due_across_districts(settings, SERVICE, query)
    return [(row.tenant_id, row.id) for row in rows]


async def retry_deliveries(settings: Settings) -> int:
    due = await due_notifications(settings)
    if not due:
        return 0
    delivery = Delivery(lambda: settings)
    try:
        return await deliver_many(delivery, due)
    finally:
        await delivery.close()


JOBS: list[Job] = [Job(f"{SERVICE}.deliver_notifications", INTERVAL_S, retry_deliveries)]
