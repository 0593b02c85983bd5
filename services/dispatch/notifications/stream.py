"""The operators' live stream: one LISTEN connection per API process, fanned out to server-sent-event clients.

``tickets/history.py`` does ``pg_notify(STREAM_CHANNEL, ...)`` with every history row; PostgreSQL delivers
it on commit only. Notifications are not subject to row-level security, so each subscriber is filtered
here: by its token's district, and for scoped staff (not operators) by the ticket's grid path under their
scope, as ``tickets.services.visible_to`` does for lists. If the LISTEN connection drops it is opened again
with backoff, and subscribers get a ``resync`` event: changes in the gap were missed, so reload the list.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import asyncpg
from litestar.response import ServerSentEventMessage

from services.dispatch.access import is_operator
from services.dispatch.tickets.history import STREAM_CHANNEL
from shared.auth.principal import Principal
from shared.logging import get_logger

log = get_logger(__name__)

HEARTBEAT_S = 15.0
_PING_S = 15.0  # a half-open TCP connection raises no termination event: a query finds it
_READY_WAIT_S = 5.0
_FIRST_BACKOFF_S = 0.5
_MAX_BACKOFF_S = 10.0
_QUEUE_SIZE = 500
_SHOWN = ("ticket", "number", "action", "status", "level", "grid", "warning")


@dataclass(eq=False)
class Subscription:
    tenant_id: UUID
    scope: str | None  # grid-path prefix; None: the whole district
    queue: asyncio.Queue[dict[str, Any]] = field(default_factory=lambda: asyncio.Queue(_QUEUE_SIZE))
    overflowed: bool = False

    def wants(self, change: dict[str, Any]) -> bool:
        if change.get("tenant") != str(self.tenant_id):
            return False
        if self.scope is None:
            return True
        path = change.get("gridPath")
        return isinstance(path, str) and path.startswith(self.scope)


class TicketStream:
    def __init__(self, dsn: str, *, connect_timeout_s: float = 5.0, heartbeat_s: float = HEARTBEAT_S) -> None:
        self.dsn = dsn
        self.connect_timeout_s = connect_timeout_s
        self.heartbeat_s = heartbeat_s
        self.ready = asyncio.Event()  # set while LISTEN is active
        self._subscriptions: set[Subscription] = set()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen_forever(), name="dispatch-ticket-stream")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def subscribe(self, principal: Principal) -> Subscription:
        assert principal.tenant_id is not None
        scope = None if is_operator(principal) else principal.scope
        subscription = Subscription(principal.tenant_id, scope)
        self._subscriptions.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscriptions.discard(subscription)

    @property
    def subscribers(self) -> int:
        return len(self._subscriptions)

    def _publish(self, change: dict[str, Any], *, everyone: bool = False) -> None:
        for subscription in list(self._subscriptions):
            if not (everyone or subscription.wants(change)):
                continue
            try:
                subscription.queue.put_nowait(change)
            except asyncio.QueueFull:  # a client that stopped reading: end its stream, it reconnects and reloads
                subscription.overflowed = True

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        try:
            change = json.loads(payload)
        except ValueError:
            log.warning("unreadable ticket change notification")
            return
        if isinstance(change, dict):
            self._publish(change)

    async def _listen_forever(self) -> None:
        backoff, connected_before = _FIRST_BACKOFF_S, False
        while True:
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(
                    self.dsn,
                    timeout=self.connect_timeout_s,
                    server_settings={"application_name": "redcell-dispatch-stream"},
                )
                lost = asyncio.Event()
                conn.add_termination_listener(lambda _c, lost=lost: lost.set())
                await conn.add_listener(STREAM_CHANNEL, self._on_notify)
                self.ready.set()
                if connected_before:
                    self._publish({"kind": "resync"}, everyone=True)
                connected_before, backoff = True, _FIRST_BACKOFF_S
                log.info("ticket stream listening", channel=STREAM_CHANNEL)
                while not lost.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(lost.wait(), _PING_S)
                    if not lost.is_set():
                        await conn.fetchval("SELECT 1", timeout=self.connect_timeout_s)
                log.warning("ticket stream lost its connection; reconnecting")
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("ticket stream cannot listen; retrying", error=type(exc).__name__, retry_in_s=backoff)
            finally:
                self.ready.clear()
                if conn is not None:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(conn.close(), timeout=2)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, _MAX_BACKOFF_S)

    async def events(self, principal: Principal) -> AsyncIterator[ServerSentEventMessage]:
        """``principal``'s server-sent events; the first message is sent once LISTEN is active (or after a
        short wait if the database is away), so a client that has read it will see every later change.
        Subscribed on the first iteration, unsubscribed when the client goes (Litestar cancels the stream)."""
        subscription = self.subscribe(principal)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.ready.wait(), _READY_WAIT_S)
            yield ServerSentEventMessage(
                data=None, comment="listening" if self.ready.is_set() else "connecting", retry=3000
            )
            while not subscription.overflowed:
                try:
                    change = await asyncio.wait_for(subscription.queue.get(), self.heartbeat_s)
                except TimeoutError:
                    yield ServerSentEventMessage(data=None, comment="heartbeat")
                    continue
                if change.get("kind") == "resync":
                    yield ServerSentEventMessage(event="resync", data="{}")
                else:
                    shown = {key: change.get(key) for key in _SHOWN}
                    yield ServerSentEventMessage(event="ticket", data=json.dumps(shown, ensure_ascii=False))
            yield ServerSentEventMessage(event="resync", data="{}")  # overflowed: reload and reconnect
        finally:
            self.unsubscribe(subscription)
