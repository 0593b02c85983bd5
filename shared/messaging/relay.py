"""``redcell relay <service>``: publish committed outbox rows to the subscribers' queues.

Woken by LISTEN/NOTIFY (the outbox insert trigger) with a short poll as the fallback. Rows are
claimed with ``FOR UPDATE SKIP LOCKED`` so several relays can run; a row is marked published only
after every subscriber's message is in Redis. A crash in between re-sends it: consumers are
idempotent by envelope id, so that is harmless. Redis being down leaves the rows waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import uuid
from datetime import datetime
from typing import Any

import asyncpg
import dramatiq
import msgspec
from dramatiq.brokers.redis import RedisBroker

from shared.contracts.base import Envelope
from shared.contracts.routing import EVENTS_ACTOR, events_queue, subscribers
from shared.db.migrations import outbox_channel
from shared.db.urls import database_url, plain_dsn
from shared.logging import configure_logging, get_logger
from shared.messaging.broker import make_broker
from shared.settings import Settings, get_settings

log = get_logger(__name__)

_CLAIM = """
SELECT id, tenant_id, event, payload, request_id, created_at
FROM outbox_message WHERE published_at IS NULL
ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED
"""


def message_for(row: Any, service: str) -> dramatiq.Message[Any]:
    payload = row["payload"] if isinstance(row["payload"], dict) else msgspec.json.decode(row["payload"])
    version = int(payload.pop("version", 1))
    envelope = Envelope(
        id=row["id"],
        event=row["event"],
        version=version,
        tenant_id=row["tenant_id"],
        occurred_at=row["created_at"] if isinstance(row["created_at"], datetime) else datetime.now(),
        payload=payload,
        request_id=row["request_id"],
    )
    return dramatiq.Message(
        queue_name=events_queue(service),
        actor_name=EVENTS_ACTOR,
        args=(msgspec.to_builtins(envelope),),
        kwargs={},
        options={"tenant_id": str(row["tenant_id"]) if row["tenant_id"] else None, "request_id": row["request_id"]},
        # Deterministic per (event, subscriber): a re-send is recognisably the same message.
        message_id=str(uuid.uuid5(row["id"], service)),
    )


class RelayPublishError(Exception):
    """The broker refused a message; the outbox row stays unpublished."""


class OutboxRelay:
    def __init__(self, settings: Settings, service: str, broker: RedisBroker | None = None) -> None:
        self.settings = settings
        self.service = service
        self.broker = broker or make_broker(settings)
        self.dsn = plain_dsn(database_url(settings, service, "system"))
        self._wake = asyncio.Event()

    async def publish_batch(self, conn: asyncpg.Connection) -> int:
        """Publish one batch; returns how many rows were published. Raises if the broker failed."""
        error: BaseException | None = None
        async with conn.transaction():
            rows = await conn.fetch(_CLAIM, self.settings.relay.batch_size)
            published: list[uuid.UUID] = []
            for row in rows:
                try:
                    for service in subscribers(row["event"]):
                        await asyncio.to_thread(self.broker.enqueue, message_for(row, service))
                except Exception as exc:
                    error = exc
                    await conn.execute(
                        "UPDATE outbox_message SET attempts = attempts + 1, last_error = $2 WHERE id = $1",
                        row["id"],
                        f"{type(exc).__name__}: {exc}"[:500],
                    )
                    break
                published.append(row["id"])
            if published:
                await conn.execute(
                    "UPDATE outbox_message SET published_at = now() WHERE id = ANY($1::uuid[])", published
                )
        if error is not None:
            raise RelayPublishError(str(error)) from error
        return len(published)

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.1
        while not stop.is_set():
            try:
                conn: asyncpg.Connection = await asyncpg.connect(self.dsn)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("relay cannot reach PostgreSQL; retrying", error=str(exc))
                await self._sleep(stop, backoff)
                backoff = min(backoff * 2, self.settings.relay.retry_backoff_max_s)
                continue
            try:
                await conn.add_listener(outbox_channel(self.service), lambda *_: self._wake.set())
                log.info("relay listening", service=self.service)
                backoff = 0.1
                while not stop.is_set():
                    try:
                        count = await self.publish_batch(conn)
                    except RelayPublishError as exc:  # the broker (Redis) failed: rows stay unpublished
                        log.warning("relay cannot publish; retrying", error=str(exc))
                        await self._sleep(stop, backoff)
                        backoff = min(backoff * 2, self.settings.relay.retry_backoff_max_s)
                        continue
                    backoff = 0.1
                    if count == self.settings.relay.batch_size:
                        continue  # more waiting: no sleep
                    self._wake.clear()
                    await self._sleep(stop, self.settings.relay.poll_interval_s, wake=True)
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
                log.warning("relay lost PostgreSQL; reconnecting", error=str(exc))
                await self._sleep(stop, backoff)
            finally:
                with contextlib.suppress(Exception):
                    await conn.close()

    async def _sleep(self, stop: asyncio.Event, seconds: float, *, wake: bool = False) -> None:
        waiters = [asyncio.ensure_future(stop.wait())]
        if wake:
            waiters.append(asyncio.ensure_future(self._wake.wait()))
        _done, pending = await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        for task in [*pending, *_done]:
            task.cancel()


def run_relay(service: str) -> None:
    settings = get_settings()
    configure_logging(f"{service}-relay", json=settings.log_json, level=settings.log_level)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await OutboxRelay(settings, service).run(stop)

    asyncio.run(main())
