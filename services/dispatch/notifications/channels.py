"""Where a notification goes (DSP-18): the district's webhook, an SMS gateway, or the local development outbox.

A channel gets a fully resolved ``Message`` (text rendered, phone decrypted by the caller at the moment of
sending) and either returns or raises ``DeliveryError`` with a short reason for the delivery log, or
``Skipped`` when there is nowhere to send it. The clear phone number never reaches a log, an error text
or the database: ``Message.phone`` is excluded from its repr, and errors name HTTP statuses only.

Webhook signature: ``X-Redcell-Signature: t=<unix seconds>,v1=<hex>`` where ``hex`` is
HMAC-SHA256(secret, ``<t>.`` + raw body) and the secret is derived per district from the platform master
key (HKDF-SHA256, salt = tenant id, info ``redcell/dispatch/webhook/v1``); a district admin reads it from
``GET /api/dispatch/notifications/webhook-secret``. Rotating the master key rotates every secret.
Receivers should reject a ``t`` older than a few minutes and deduplicate on ``X-Redcell-Notification``:
delivery is at least once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol
from uuid import UUID

import httpx
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from redis.asyncio import Redis

from shared.logging import get_logger
from shared.privacy import mask_phone
from shared.settings import Settings

log = get_logger(__name__)

SIGNATURE_HEADER = "X-Redcell-Signature"
NOTIFICATION_HEADER = "X-Redcell-Notification"
DEV_OUTBOX_MAX = 1000
_WEBHOOK_INFO = b"redcell/dispatch/webhook/v1"


class DeliveryError(Exception):
    """The channel could not deliver; ``reason`` goes to the delivery log (never personal data)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:500]


class Skipped(Exception):  # noqa: N818 - an outcome, not a failure
    """Nowhere to send this message (no webhook configured, no phone on record): logged as ``skipped``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, kw_only=True)
class Message:
    notification_id: UUID
    tenant_id: UUID
    template: str
    recipient_kind: str
    text: str  # zh-CN, rendered from the template
    params: dict[str, Any]  # safe to show: no personal data, no secrets
    ticket_number: str | None = None
    ticket_status: str | None = None
    phone: str | None = field(default=None, repr=False)  # clear; SMS only, decrypted just before sending
    webhook_url: str | None = None


class Channel(Protocol):
    async def send(self, message: Message) -> None: ...


def webhook_secret(settings: Settings, tenant_id: UUID) -> bytes:
    """The district's webhook signing secret, derived from the master key (nothing stored)."""
    kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=tenant_id.bytes, info=_WEBHOOK_INFO)
    return kdf.derive(settings.master_key_bytes())


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(secret: bytes, header: str, body: bytes, *, tolerance_s: int = 300) -> bool:
    """What a receiver does with ``X-Redcell-Signature`` (here for receivers written in Python, and tests)."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def _http_failure(exc: httpx.HTTPError) -> DeliveryError:
    return DeliveryError(f"{type(exc).__name__}: no answer from the receiver (unreachable or timed out)")


class WebhookChannel:
    """POST the event as JSON to the district's own system, signed with the district's secret."""

    def __init__(self, client: httpx.AsyncClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings

    async def send(self, message: Message) -> None:
        if not message.webhook_url:
            raise Skipped("the district has no webhook configured")
        ticket = {"number": message.ticket_number, "status": message.ticket_status} if message.ticket_number else None
        body = json.dumps(
            {
                "notificationId": str(message.notification_id),
                "tenantId": str(message.tenant_id),
                "template": message.template,
                "recipientKind": message.recipient_kind,
                "ticket": ticket,
                "params": message.params,
                "text": message.text,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(webhook_secret(self.settings, message.tenant_id), int(time.time()), body),
            NOTIFICATION_HEADER: str(message.notification_id),
        }
        try:
            response = await self.client.post(message.webhook_url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise _http_failure(exc) from None
        if not response.is_success:
            raise DeliveryError(f"the webhook answered HTTP {response.status_code}")


class SmsGatewayChannel:
    """JSON POST ``{phone, text}`` with a Bearer token to the configured SMS gateway."""

    def __init__(self, client: httpx.AsyncClient, url: str, token: str) -> None:
        self.client = client
        self.url = url
        self.token = token

    async def send(self, message: Message) -> None:
        if not message.phone:
            raise Skipped("no phone number on record for this recipient")
        headers = {NOTIFICATION_HEADER: str(message.notification_id)}
        if self.token:  # a gateway on a trusted network may need none; "Bearer " alone is not a valid header
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = await self.client.post(
                self.url, json={"phone": message.phone, "text": message.text}, headers=headers
            )
        except httpx.HTTPError as exc:
            raise _http_failure(exc) from None
        if not response.is_success:  # the body may echo the number: only the status is kept
            raise DeliveryError(f"the SMS gateway answered HTTP {response.status_code}")


def dev_outbox_key(tenant_id: UUID) -> str:
    return f"redcell:dev-outbox:{tenant_id}"


class DevChannel:
    """Development stand-in for SMS when no gateway is configured: the text with a masked number goes to the
    log and to a capped Redis list shown by ``GET /api/dispatch/dev-outbox``. Refused in production, where a
    missing gateway is a configuration error that must show in the delivery log, not a silent success."""

    def __init__(self, redis: Redis, env: str) -> None:
        self.redis = redis
        self.env = env

    async def send(self, message: Message) -> None:
        if self.env == "prod":
            raise DeliveryError("no SMS gateway is configured (REDCELL_DISPATCH__SMS_GATEWAY_URL)")
        if not message.phone:
            raise Skipped("no phone number on record for this recipient")
        masked = mask_phone(message.phone)
        entry = {
            "notificationId": str(message.notification_id),
            "template": message.template,
            "phone": masked,
            "text": message.text,
            "at": datetime.now(UTC).isoformat(),
        }
        key = dev_outbox_key(message.tenant_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.lpush(key, json.dumps(entry, ensure_ascii=False))
            pipe.ltrim(key, 0, DEV_OUTBOX_MAX - 1)
            await pipe.execute()
        # A code is a credential even in development: the log shows that one was sent, the dev outbox shows it.
        shown = "（验证码短信）" if message.template == "verification_code" else message.text
        log.info("dev sms", template=message.template, phone=masked, text=shown)
