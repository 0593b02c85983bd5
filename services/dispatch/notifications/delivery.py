"""Deliver one message of the delivery log: claim an attempt, send without a transaction open, record the outcome.

1. Claim (short transaction): lock the row ``FOR UPDATE SKIP LOCKED``; go on only if it is still owed
   (pending or retrying) and due. Count the attempt, stamp the first attempt, and push ``next_attempt_at``
   forward by a lease (send timeout plus a margin), then commit. A second claimer (a duplicate event, the
   sweep) finds the row locked or not due and does nothing: one send per attempt.
2. Send through the channel, with no database transaction of ours open.
3. Record (second short transaction): delivered, skipped, retrying with exponential backoff, or dead after
   ``delivery_max_attempts``; only if the row still carries this attempt's number.

A message queued by an event handler (``queue.collecting``, the offers of a routing) skips step 1's own
transaction: it is written already claimed (attempt 1, its lease, rendered from the rows the handler has in hand)
by ``claim_new`` in the handler's transaction, sent right after that commits, and the outcomes of all of them
recorded in one transaction (``record_many``). The claim is on record before anything leaves, as above.

At least once, not exactly once: if the process dies between 2 and 3, the lease runs out and the sweep
sends again. The log shows the extra attempt, and receivers deduplicate on ``X-Redcell-Notification``.
A phone number is decrypted in step 1 into memory only; the verification code (encrypted in the params,
see ``public/services.py``) is dropped from the row once the message is delivered, skipped or dead.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from redis.asyncio import Redis
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.dispatch import SERVICE
from services.dispatch.models import Notification, PhoneVerification, Provider, Ticket
from services.dispatch.notifications.channels import (
    Channel,
    DeliveryError,
    DevChannel,
    Message,
    Skipped,
    SmsGatewayChannel,
    WebhookChannel,
)
from services.dispatch.notifications.templates import TEMPLATES, render
from services.dispatch.settings import DispatchProcessSettings, district_rules_or_none, get_dispatch_settings
from shared.clock import now
from shared.context import tenant_scope
from shared.db.cells import CellEngines, cell_sessionmaker
from shared.logging import get_logger
from shared.privacy import PrivacyError, TenantKeys, data_key, decrypt
from shared.settings import Settings

log = get_logger(__name__)

OWED = ("pending", "retrying")
BACKOFF_S = (5, 30, 120, 600, 3600)  # after the 1st, 2nd, ... failed attempt; the last one repeats
LEASE_MARGIN_S = 30.0
# Protected-field names (shared.privacy) of the numbers a message may go to, and of the encrypted code.
RESIDENT_PHONE = "ticket.caller_phone"
VERIFICATION_PHONE = "phone_verification.phone"
PROVIDER_PHONE = "provider.phone"
CODE_FIELD = "notification.verification_code"
CODE_PARAM = "codeCipher"  # params key of the encrypted code: never shown, dropped once sent


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=BACKOFF_S[min(attempts, len(BACKOFF_S)) - 1])


def shown_params(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if k != CODE_PARAM}


@dataclass(frozen=True)
class _Claim:
    message: Message
    channel: str
    attempt: int


@dataclass(frozen=True)
class Outcome:
    """How one claimed attempt ended, to be recorded."""

    notification_id: UUID
    attempt: int
    status: str  # delivered | skipped | failed
    error: str | None


# One statement records every outcome of a batch: only if the row still carries this attempt (else another
# attempt has begun since, and its outcome counts).
_RECORD = (
    update(Notification.__table__)  # type: ignore[arg-type]
    .where(
        Notification.__table__.c.id == bindparam("notification_id"),
        Notification.__table__.c.attempts == bindparam("attempt"),
    )
    .values(
        status=bindparam("new_status"),
        last_error=bindparam("error"),
        next_attempt_at=func.coalesce(bindparam("next_at"), Notification.__table__.c.next_attempt_at),
        delivered_at=bindparam("delivered"),
    )
)


class Delivery:
    """Delivers messages of any district; engines and clients open on first use in the running loop."""

    def __init__(
        self,
        settings: Callable[[], Settings],
        dispatch: Callable[[], DispatchProcessSettings] = get_dispatch_settings,
    ) -> None:
        self._settings = settings
        self._dispatch = dispatch
        self._engines: CellEngines | None = None
        self._sessions: async_sessionmaker[AsyncSession] | None = None
        self._http: httpx.AsyncClient | None = None
        self._redis: Redis | None = None

    def _open(self) -> async_sessionmaker[AsyncSession]:
        if self._sessions is None:
            settings = self._settings()
            # Each delivery holds at most one connection at a time, and none while it sends; as many deliveries run
            # at once as the worker has threads, and a connection opened past the pool's size is closed again after
            # one use (a new PostgreSQL backend for each message under load).
            pool = max(2, settings.worker.threads)
            self._engines = CellEngines(settings, SERVICE, "app", pool_size=pool, max_overflow=8)
            self._sessions = cell_sessionmaker(self._engines)
            self._http = httpx.AsyncClient(timeout=self._dispatch().delivery_timeout_s, follow_redirects=False)
            self._redis = Redis.from_url(settings.redis.url)
        return self._sessions

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()
        if self._redis is not None:
            await self._redis.aclose()
        if self._engines is not None:
            await self._engines.dispose()
        self._engines = self._sessions = self._http = self._redis = None

    async def deliver(self, tenant_id: UUID, notification_id: UUID) -> str | None:
        """Make one attempt if the message is owed and due; returns the status it ended in, None if not tried."""
        sessions = self._open()
        with tenant_scope(tenant_id):
            claim = await self._claim(sessions, notification_id)
            if not isinstance(claim, _Claim):
                return claim
            outcome = await self._send(claim)
            return await self._record(sessions, notification_id, claim.attempt, outcome.status, outcome.error)

    async def _send(self, claim: _Claim) -> Outcome:
        """Send through the claim's channel, with no database transaction of ours open."""
        status, error = "delivered", None
        try:
            await self._channel(claim.channel).send(claim.message)
        except Skipped as exc:
            status, error = "skipped", exc.reason
        except DeliveryError as exc:
            status, error = "failed", exc.reason
        except Exception as exc:  # a bug in a channel must not leave the row claimed until the lease ends
            log.exception("notification channel failed", notification_id=str(claim.message.notification_id))
            status, error = "failed", f"internal error: {type(exc).__name__}"
        return Outcome(claim.message.notification_id, claim.attempt, status, error)

    def _lease_end(self, current: datetime) -> datetime:
        return current + timedelta(seconds=self._dispatch().delivery_timeout_s + LEASE_MARGIN_S)

    async def claim_new(self, session: AsyncSession, rows: list[Notification]) -> list[_Claim]:
        """Claim attempt 1 of messages queued in ``session``'s transaction (not yet flushed), in that transaction:
        each is rendered from the rows the session holds (the caller keeps its ticket referenced: the identity map
        is weak) and its providers, read in one statement, or finished at once (skipped: nowhere to send it; dead:
        it cannot be rendered). Send the claims once it commits."""
        self._open()
        current = now()
        wanted = {row.recipient_id for row in rows if row.recipient_kind == "provider" and row.recipient_id}
        with session.no_autoflush:  # the messages are inserted once, claimed, with the transaction's other rows
            # held in this frame, so that ``_phone``'s lookups find them in the identity map
            providers = list(await session.scalars(select(Provider).where(Provider.id.in_(wanted)))) if wanted else []
            claims = [claim for row in rows if (claim := await self._claim_new(session, row, current)) is not None]
        del providers
        return claims

    async def _claim_new(self, session: AsyncSession, row: Notification, current: datetime) -> _Claim | None:
        """Attempt 1 of ``row`` claimed; None when it is finished at once (nowhere to send it, or unrenderable)."""
        row.attempts, row.first_attempt_at, row.next_attempt_at = 1, current, self._lease_end(current)
        try:
            message = await self._message(session, row)
        except Skipped as exc:
            _finish(row, "skipped", exc.reason)
            return None
        except (PrivacyError, KeyError, ValueError) as exc:
            _finish(row, "dead", f"cannot be rendered: {type(exc).__name__}")
            return None
        return _Claim(message, row.channel, row.attempts)

    async def send_claimed(self, tenant_id: UUID, claims: list[_Claim]) -> list[Outcome]:
        """Send what ``claim_new`` claimed (after its transaction committed) and record every outcome at once."""
        sessions = self._open()
        with tenant_scope(tenant_id):
            outcomes = [await self._send(claim) for claim in claims]
            await self.record_many(sessions, outcomes)
        return outcomes

    async def record_many(self, sessions: async_sessionmaker[AsyncSession], outcomes: list[Outcome]) -> None:
        """The outcomes of attempts (no verification codes among them), in one transaction and one statement."""
        if not outcomes:
            return
        current, limit = now(), self._dispatch().delivery_max_attempts
        values = []
        for outcome in outcomes:
            status, next_at, delivered = outcome.status, None, None
            if status == "failed":
                status = "dead" if outcome.attempt >= limit else "retrying"
                next_at = current + backoff(outcome.attempt) if status == "retrying" else None
            elif status == "delivered":
                delivered = current
            values.append(
                {
                    "notification_id": outcome.notification_id,
                    "attempt": outcome.attempt,
                    "new_status": status,
                    "error": outcome.error,
                    "next_at": next_at,
                    "delivered": delivered,
                }
            )
            log.info("notification finished", notification_id=str(outcome.notification_id), status=status)
        async with sessions() as session, session.begin():
            await session.execute(_RECORD, values)

    def _channel(self, name: str) -> Channel:
        assert self._http is not None
        assert self._redis is not None
        settings, dispatch = self._settings(), self._dispatch()
        if name == "webhook":
            return WebhookChannel(self._http, settings)
        if name == "sms" and dispatch.sms_gateway_url:
            return SmsGatewayChannel(
                self._http, dispatch.sms_gateway_url, dispatch.sms_gateway_token.get_secret_value()
            )
        return DevChannel(self._redis, settings.env)  # "sms" without a gateway, or "dev"

    async def _claim(self, sessions: async_sessionmaker[AsyncSession], notification_id: UUID) -> _Claim | str | None:
        async with sessions() as session, session.begin():
            row = await session.scalar(
                select(Notification).where(Notification.id == notification_id).with_for_update(skip_locked=True)
            )
            current = now()
            if row is None or row.status not in OWED or row.next_attempt_at > current:
                return None
            row.first_attempt_at = row.first_attempt_at or current
            row.attempts += 1
            row.next_attempt_at = self._lease_end(current)
            try:
                message = await self._message(session, row)
            except Skipped as exc:
                return _finish(row, "skipped", exc.reason)
            except (PrivacyError, KeyError, ValueError) as exc:  # nothing a retry could mend
                return _finish(row, "dead", f"cannot be rendered: {type(exc).__name__}")
            return _Claim(message, row.channel, row.attempts)

    async def _record(
        self,
        sessions: async_sessionmaker[AsyncSession],
        notification_id: UUID,
        attempt: int,
        status: str,
        error: str | None,
    ) -> str | None:
        async with sessions() as session, session.begin():
            row = await session.scalar(
                select(Notification)
                .where(Notification.id == notification_id, Notification.attempts == attempt)
                .with_for_update()
            )
            if row is None:  # our lease ran out and another attempt has begun: its outcome counts
                return None
            if status == "failed":
                if attempt >= self._dispatch().delivery_max_attempts:
                    status = "dead"
                else:
                    row.status, row.last_error, row.next_attempt_at = "retrying", error, now() + backoff(attempt)
                    log.info("notification will be retried", notification_id=str(row.id), attempts=attempt, error=error)
                    return row.status
            return _finish(row, status, error)

    async def _message(self, session: AsyncSession, row: Notification) -> Message:
        if row.template not in TEMPLATES:
            raise KeyError(row.template)
        district = await district_rules_or_none(session)
        ticket = await session.get(Ticket, row.ticket_id) if row.ticket_id else None
        params = dict(row.params)
        phone: str | None = None
        if row.channel != "webhook":
            keys = await data_key(session, row.tenant_id)
            phone = await self._phone(session, keys, row, ticket)
            if row.template == "verification_code":
                if CODE_PARAM not in params:
                    raise Skipped("the code is no longer on record")
                params["code"] = decrypt(keys, CODE_FIELD, base64.b64decode(str(params[CODE_PARAM])))
        elif row.template == "verification_code":
            raise Skipped("verification codes go by SMS only")
        hotline = district.hotline_number if district else "96345"
        text = render(row.template, hotline=hotline, number=ticket.number if ticket else None, params=params)
        return Message(
            notification_id=row.id,
            tenant_id=row.tenant_id,
            template=row.template,
            recipient_kind=row.recipient_kind,
            text=text,
            params=shown_params(row.params),
            ticket_number=ticket.number if ticket else None,
            ticket_status=ticket.status if ticket else None,
            phone=phone,
            webhook_url=district.webhook_url if district else None,
        )

    async def _phone(self, session: AsyncSession, keys: TenantKeys, row: Notification, ticket: Ticket | None) -> str:
        """The recipient's number, decrypted now and kept only in memory for this one send."""
        if row.recipient_kind == "provider" and row.recipient_id is not None:
            provider = await session.get(Provider, row.recipient_id)
            if provider is not None and provider.phone_cipher:
                return decrypt(keys, PROVIDER_PHONE, provider.phone_cipher)
        elif row.recipient_kind == "resident":
            if ticket is not None and ticket.caller_phone_cipher:
                return decrypt(keys, RESIDENT_PHONE, ticket.caller_phone_cipher)
            verification_id = row.params.get("verificationId")
            if verification_id is not None:
                verification = await session.get(PhoneVerification, UUID(str(verification_id)))
                if verification is not None:
                    return decrypt(keys, VERIFICATION_PHONE, verification.phone_cipher)
        raise Skipped(f"no phone number on record for this {row.recipient_kind}")


def _finish(row: Notification, status: str, error: str | None) -> str:
    """A final status: the message is no longer owed, and the encrypted code (if any) is dropped."""
    row.status, row.last_error = status, error
    if status == "delivered":
        row.delivered_at = now()
    if CODE_PARAM in row.params:
        row.params = shown_params(row.params)
    log.info(
        "notification finished",
        notification_id=str(row.id),
        status=status,
        attempts=row.attempts,
        channel=row.channel,
        template=row.template,
    )
    return status


async def deliver_many(delivery: Delivery, due: list[tuple[UUID, UUID]], concurrency: int = 8) -> int:
    """Attempt each (tenant, notification) with bounded concurrency; how many attempts were made."""
    gate = asyncio.Semaphore(concurrency)

    async def one(tenant_id: UUID, notification_id: UUID) -> bool:
        async with gate:
            return await delivery.deliver(tenant_id, notification_id) is not None

    results = await asyncio.gather(*(one(t, n) for t, n in due))
    return sum(results)
