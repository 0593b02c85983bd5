"""``redcell relay <service>``: publish committed outbox rows to the subscribers' queues (their lanes).

Woken by LISTEN/NOTIFY (the outbox insert trigger) with a short poll as the fallback. Rows are
claimed in order with ``FOR UPDATE SKIP LOCKED`` so several relays can run side by side; a row is
marked published in the claiming transaction, after every subscriber's message is in Redis. A crash
in between re-sends it under the same message id: consumers dedupe on the envelope id, so that is
harmless. Redis being down leaves the rows unpublished, with ``attempts`` and ``last_error`` set.

A claimed batch goes to Redis in one pipelined round trip. For a sync lane (``Route.batched``), consecutive rows of
one district become one message carrying their envelopes in order, which the consumer applies in one transaction;
every other lane gets one message per row.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import asyncpg
import dramatiq
import msgspec

from shared.contracts import routing
from shared.contracts.base import Envelope
from shared.contracts.routing import BATCH_ACTOR, EVENTS_ACTOR, Route
from shared.db.cells import cells_holding
from shared.db.migrations import outbox_channel
from shared.db.urls import database_url, plain_dsn
from shared.logging import configure_logging, get_logger
from shared.messaging.broker import make_broker
from shared.messaging.wakeup import WakingRedisBroker
from shared.probes import Heartbeat, dependency_checks, start_probes
from shared.settings import MAIN_CELL, Settings, get_settings

log = get_logger(__name__)

Routes = Callable[[str], Sequence[Route]]  # event name -> the subscribers' lanes

_CLAIM = """
SELECT id, tenant_id, event, payload, request_id, created_at
FROM outbox_message WHERE published_at IS NULL
ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED
"""
_MARK_PUBLISHED = "UPDATE outbox_message SET published_at = now() WHERE id = ANY($1::uuid[])"
_MARK_FAILED = "UPDATE outbox_message SET attempts = attempts + 1, last_error = $2 WHERE id = $1"
_FIRST_BACKOFF_S = 0.1
_REDIS_TIMEOUT_S = 10.0  # a Redis that stops answering fails the publish instead of hanging the relay
_COMMAND_TIMEOUT_S = 30.0  # likewise for PostgreSQL: a hung connection is replaced
SYNC_BATCH_MAX = 200  # envelopes in one message for a sync lane (also bounded by the rows claimed at once)


def envelope_of(row: Any) -> dict[str, Any]:
    """The envelope of outbox ``row``, as plain JSON-ready values."""
    raw = row["payload"]
    # asyncpg returns jsonb as text; with a codec it is a dict, copied because "version" is popped
    payload: dict[str, Any] = msgspec.json.decode(raw) if isinstance(raw, str | bytes) else dict(raw)
    version = int(payload.pop("version", 1))
    envelope = Envelope(
        id=row["id"],
        event=row["event"],
        version=version,
        tenant_id=row["tenant_id"],
        occurred_at=row["created_at"],
        payload=payload,
        request_id=row["request_id"],
    )
    built: dict[str, Any] = msgspec.to_builtins(envelope)
    return built


def _options(row: Any) -> dict[str, Any]:
    options = {"tenant_id": str(row["tenant_id"]) if row["tenant_id"] else None, "request_id": row["request_id"]}
    return {key: value for key, value in options.items() if value is not None}


def message_for(row: Any, route: Route | str) -> dramatiq.Message[Any]:
    """The dramatiq message carrying outbox ``row`` to a subscriber's lane (a service name: its events lane)."""
    route = route if isinstance(route, Route) else Route(route)
    return dramatiq.Message(
        queue_name=route.queue,
        actor_name=EVENTS_ACTOR,
        args=(envelope_of(row),),
        kwargs={},
        options=_options(row),
        # Deterministic per (event, subscriber): a re-send is recognisably the same message.
        message_id=str(uuid.uuid5(row["id"], route.service)),
    )


def batch_message_for(rows: Sequence[Any], route: Route) -> dramatiq.Message[Any]:
    """One message carrying consecutive rows of one district to a sync lane, in order."""
    if len(rows) == 1:
        return message_for(rows[0], route)
    return dramatiq.Message(
        queue_name=route.queue,
        actor_name=BATCH_ACTOR,
        args=([envelope_of(row) for row in rows],),
        kwargs={},
        options=_options(rows[0]),
        message_id=str(uuid.uuid5(rows[0]["id"], f"{route.service}:{len(rows)}")),
    )


def messages_for(rows: Sequence[Any], routes_of: Routes) -> list[dramatiq.Message[Any]]:
    """The messages of ``rows`` (in outbox order) for every subscriber: each lane receives its rows in order."""
    messages: list[dramatiq.Message[Any]] = []
    open_batches: dict[Route, list[Any]] = {}
    for row in rows:
        for route in routes_of(row["event"]):
            if not route.batched:
                messages.append(message_for(row, route))
                continue
            batch = open_batches.get(route)
            if batch and (batch[0]["tenant_id"] != row["tenant_id"] or len(batch) >= SYNC_BATCH_MAX):
                messages.append(batch_message_for(batch, route))
                batch = None
            if not batch:
                batch = open_batches[route] = []
            batch.append(row)
    messages += [batch_message_for(batch, route) for route, batch in open_batches.items() if batch]
    return messages


class OutboxRelay:
    def __init__(
        self,
        settings: Settings,
        service: str,
        *,
        broker: WakingRedisBroker | None = None,
        routes: Routes = routing.routes,
        heartbeat: Heartbeat | None = None,
        cell: str = MAIN_CELL,
    ) -> None:
        self.settings = settings
        self.service = service
        self.cell = cell
        self.broker = broker or make_broker(settings, socket_timeout_s=_REDIS_TIMEOUT_S)
        self.routes = routes
        # Beaten on every turn of either loop, idle or retrying an outage: /livez fails only on a hang.
        self.heartbeat = heartbeat or Heartbeat()
        # BYPASSRLS: every tenant's rows (of this cell; ``run_relay`` runs one relay per cell)
        self.dsn = plain_dsn(database_url(settings, service, "system", cell=cell))
        self._wake = asyncio.Event()
        self._reconnect_backoff = _FIRST_BACKOFF_S

    def _send(self, rows: Sequence[Any]) -> tuple[list[uuid.UUID], BaseException | None]:
        """Enqueue the rows' messages in one round trip (on a thread: redis-py blocks). All or nothing as far as the
        outbox knows: after a failure every row is sent again, and what did reach Redis is deduplicated by the
        consumers' inbox."""
        try:
            self.broker.enqueue_many(messages_for(rows, self.routes))
        except Exception as exc:  # Redis down or refusing: the rows wait
            return [], exc
        return [row["id"] for row in rows], None

    async def publish_batch(self, conn: asyncpg.Connection) -> tuple[int, BaseException | None]:
        """Claim, send and mark one batch; returns (rows published, the broker's error if it failed)."""
        async with conn.transaction():
            rows = await conn.fetch(_CLAIM, self.settings.relay.batch_size)
            if not rows:
                return 0, None
            sent, error = await asyncio.to_thread(self._send, rows)
            if sent:
                await conn.execute(_MARK_PUBLISHED, sent)
            if error is not None:
                # The failed row keeps its claim only until this commit; the next cycle tries it again.
                await conn.execute(_MARK_FAILED, rows[len(sent)]["id"], f"{type(error).__name__}: {error}"[:500])
        return len(sent), error

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop`` is set; survives PostgreSQL and Redis outages."""
        while not stop.is_set():
            self.heartbeat.beat()
            try:
                await self._serve(stop)
                return
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("relay lost PostgreSQL; reconnecting", service=self.service, error=str(exc))
            except Exception:  # a bug must not stop publishing for good: log it and start over
                log.exception("relay failed unexpectedly; restarting", service=self.service)
            await self._sleep(stop, self._reconnect_backoff)
            self._reconnect_backoff = min(self._reconnect_backoff * 2, self.settings.relay.retry_backoff_max_s)

    async def _serve(self, stop: asyncio.Event) -> None:
        conn: asyncpg.Connection = await asyncpg.connect(
            self.dsn,
            timeout=self.settings.pg.connect_timeout_s,
            command_timeout=_COMMAND_TIMEOUT_S,
            server_settings={"application_name": f"redcell-{self.service}-relay"},
        )
        try:
            # Wake on a dropped connection too: idle in LISTEN, nothing else would notice.
            conn.add_termination_listener(lambda _conn: self._wake.set())
            await conn.add_listener(outbox_channel(self.service), lambda *_: self._wake.set())
            log.info("relay listening", service=self.service, cell=self.cell, channel=outbox_channel(self.service))
            self._reconnect_backoff = _FIRST_BACKOFF_S
            await self._publish_until_stopped(conn, stop)
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), timeout=2)

    async def _publish_until_stopped(self, conn: asyncpg.Connection, stop: asyncio.Event) -> None:
        backoff = _FIRST_BACKOFF_S
        while not stop.is_set():
            self.heartbeat.beat()
            if conn.is_closed():
                raise asyncpg.InterfaceError("the LISTEN connection was closed")
            # Cleared before the claim: a NOTIFY for a row committed after it wakes the next wait.
            self._wake.clear()
            count, error = await self.publish_batch(conn)
            if error is not None:
                log.warning("relay cannot publish; will retry", service=self.service, error=str(error))
                await self._sleep(stop, backoff)
                backoff = min(backoff * 2, self.settings.relay.retry_backoff_max_s)
                continue
            backoff = _FIRST_BACKOFF_S
            if count < self.settings.relay.batch_size:  # a full batch means more may wait: go again
                await self._sleep(stop, self.settings.relay.poll_interval_s, wake=True)

    async def _sleep(self, stop: asyncio.Event, seconds: float, *, wake: bool = False) -> None:
        waiters = [asyncio.ensure_future(stop.wait())]
        if wake:
            waiters.append(asyncio.ensure_future(self._wake.wait()))
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()

    def close(self) -> None:
        self.broker.close()


def run_relay(service: str, *, routes: Routes = routing.routes) -> None:
    """``redcell relay <service>``: runs until SIGTERM or SIGINT, finishing the batch in hand; one relay per database
    cell holding the service's rows, sharing the process's broker connection and heartbeat."""
    settings = get_settings()
    configure_logging(f"{service}-relay", json=settings.log_json, level=settings.log_level)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        heartbeat = Heartbeat()
        broker = make_broker(settings, socket_timeout_s=_REDIS_TIMEOUT_S)
        relays = [
            OutboxRelay(settings, service, broker=broker, routes=routes, heartbeat=heartbeat, cell=cell)
            for cell in cells_holding(settings, service)
        ]
        probes = start_probes(settings, alive=heartbeat.alive, readiness=dependency_checks(settings, service, "system"))
        try:
            await asyncio.gather(*(relay.run(stop) for relay in relays))
        finally:
            if probes is not None:
                probes.stop()
            broker.close()
        log.info("relay stopped", service=service)

    asyncio.run(main())
