from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec


class NotificationView(msgspec.Struct, rename="camel", kw_only=True):
    """A line of the delivery log: who kind of recipient, what and how it went; never a number or a code."""

    id: UUID
    ticket_id: UUID | None
    offer_id: UUID | None
    recipient_kind: str  # resident | provider | district
    template: str
    channel: str  # sms | webhook | dev
    status: str  # pending | retrying | delivered | skipped | dead
    attempts: int
    created_at: datetime
    first_attempt_at: datetime | None
    next_attempt_at: datetime | None  # only while the message is still owed
    delivered_at: datetime | None
    last_error: str | None


class NotificationPage(msgspec.Struct, rename="camel", kw_only=True):
    """A page of the delivery log, newest first; ``next`` is the ``after`` of the following page (null: the last)."""

    items: list[NotificationView]
    next: str | None


class DevOutboxEntry(msgspec.Struct, rename="camel", kw_only=True):
    notification_id: str
    template: str
    phone: str  # masked
    text: str
    at: str


class WebhookSecretView(msgspec.Struct, rename="camel", kw_only=True):
    secret: str  # hex; HMAC-SHA256 key of X-Redcell-Signature
    header: str
    scheme: str
