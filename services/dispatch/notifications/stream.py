"""The operators' live stream: one LISTEN connection per API process, fanned out to server-sent-event clients.

``tickets/history.py`` does ``pg_notify(STREAM_CHANNEL, ...)`` with every history row; PostgreSQL delivers
it on commit only. Notifications are not subject to row-level security, so each subscriber is filtered
here: by its token's district, and for scoped staff (not operators) by the ticket's grid path under their
scope, as ``tickets.services.visible_to`` does for lists. If the LISTEN connection drops it is opened again
with backoff, and subscribers get a ``resync`` event: changes in the gap were missed, so reload the list.

Each change gets an ``id:`` from the district's replay buffer (``replay.py``) before it is fanned out; a desk
reconnecting with ``Last-Event-ID`` is first given what it missed, then the live changes, none twice. A stream
ends with an ``expired`` event at its token's expiry: the console renews its session and reconnects.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import asyncpg
from litestar.response import ServerSentEventMessage

from services.dispatch.access import is_operator
from services.dispatch.notifications.replay import ReplayBuffer, order
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

Change = tuple[str | None, dict[str, Any]]  # (the event id, None without a replay buffer; the change)


@dataclass(eq=False)
class Subscription:
    tenant_id: UUID
    scope: str | None  # grid-path prefix; None: the whole district
    queue: asyncio.Queue[Change] = field(default_factory=lambda: asyncio.Queue(_QUEUE_SIZE))
    overflowed: bool = False

    def wants(self, change: dict[str, Any]) -> bool:
        if change.get("tenant") != str(self.tenant_id):
            return False
        if self.scope is None:
            return True
        path = change.get("gridPath")
        return isinstance(path, str) and path.startswith(self.scope)


def _message(change_id: str | None, change: dict[str, Any]) -> ServerSentEventMessage:
    if change.get("kind") == "resync":
        return ServerSentEventMessage(event="resync", data="{}")
    shown = json.dumps({key: change.get(key) for key in _SHOWN}, ensure_ascii=False)
    return ServerSentEventMessage(event="ticket", data=shown, id=change_id)


class TicketStream:
    def __init__(
        self,
        dsns: str | Sequence[str],
        *,
        replay: ReplayBuffer | None = None,
        connect_timeout_s: float = 5.0,
        heartbeat_s: float = HEARTBEAT_S,
    ) -> None:
        # One LISTEN per database cell: a district's changes are notified by the cell holding its rows.
        self.dsns = [dsns] if isinstance(dsns, str) else list(dsns)
        self.replay = replay
        self.connect_timeout_s = connect_timeout_s
        self.heartbeat_s = heartbeat_s
        self.ready = asyncio.Event()  # set while LISTEN is active on every cell
        self._listening: set[int] = set()
        self._subscriptions: set[Subscription] = set()
        self._incoming: asyncio.Queue[str] = asyncio.Queue()  # payloads in commit order, not yet numbered
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self._tasks = [
            *(
                asyncio.create_task(self._listen_forever(index), name=f"dispatch-ticket-stream-{index}")
                for index in range(len(self.dsns))
            ),
            asyncio.create_task(self._number_forever(), name="dispatch-ticket-stream-ids"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

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

    def _publish(self, change: dict[str, Any], change_id: str | None = None, *, everyone: bool = False) -> None:
        for subscription in list(self._subscriptions):
            if not (everyone or subscription.wants(change)):
                continue
            try:
                subscription.queue.put_nowait((change_id, change))
            except asyncio.QueueFull:  # a client that stopped reading: end its stream, it reconnects and reloads
                subscription.overflowed = True

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        self._incoming.put_nowait(payload)

    async def _number_forever(self) -> None:
        """One change at a time, in commit order: its id from the replay buffer, then to the subscribers."""
        while True:
            payload = await self._incoming.get()
            try:
                change = json.loads(payload)
            except ValueError:
                log.warning("unreadable ticket change notification")
                continue
            if isinstance(change, dict):
                self._publish(change, await self.replay.append(change) if self.replay else None)

    async def _listen_forever(self, index: int) -> None:
        backoff, connected_before = _FIRST_BACKOFF_S, False
        while True:
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(
                    self.dsns[index],
                    timeout=self.connect_timeout_s,
                    server_settings={"application_name": "redcell-dispatch-stream"},
                )
                lost = asyncio.Event()
                conn.add_termination_listener(lambda _c, lost=lost: lost.set())
                await conn.add_listener(STREAM_CHANNEL, self._on_notify)
                if self.replay is not None:  # changes before this moment may have gone unnumbered
                    await self.replay.mark_gap()
                self._listening.add(index)
                if len(self._listening) == len(self.dsns):
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
                self._listening.discard(index)
                self.ready.clear()
                if conn is not None:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(conn.close(), timeout=2)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, _MAX_BACKOFF_S)

    async def events(
        self, principal: Principal, *, last_event_id: str | None = None, expires_at: float | None = None
    ) -> AsyncIterator[ServerSentEventMessage]:
        """``principal``'s server-sent events; the first message is sent once LISTEN is active (or after a
        short wait if the database is away), so a client that has read it will see every later change. With
        ``last_event_id``, the changes after it come first (or ``resync`` if they cannot all be given); at
        ``expires_at`` (the token's expiry, Unix seconds) an ``expired`` event ends the stream.
        Subscribed on the first iteration, unsubscribed when the client goes (Litestar cancels the stream)."""
        subscription = self.subscribe(principal)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.ready.wait(), _READY_WAIT_S)
            yield ServerSentEventMessage(
                data=None, comment="listening" if self.ready.is_set() else "connecting", retry=3000
            )
            replayed = None  # live changes up to this id were given by the replay
            if last_event_id is not None:
                missed = await self.replay.since(str(subscription.tenant_id), last_event_id) if self.replay else None
                if missed is None:
                    yield ServerSentEventMessage(event="resync", data="{}")
                else:
                    for missed_id, missed_change in missed:
                        if subscription.wants(missed_change):
                            yield _message(missed_id, missed_change)
                    replayed = order(missed[-1][0] if missed else last_event_id)
            while not subscription.overflowed:
                left = self.heartbeat_s if expires_at is None else min(self.heartbeat_s, expires_at - time.time())
                if left <= 0:
                    yield ServerSentEventMessage(event="expired", data="{}")  # renew the token and reconnect
                    return
                try:
                    change_id, change = await asyncio.wait_for(subscription.queue.get(), left)
                except TimeoutError:
                    if expires_at is None or expires_at > time.time():
                        yield ServerSentEventMessage(data=None, comment="heartbeat")
                    continue
                position = order(change_id) if change_id else None
                if replayed is not None and position is not None and position <= replayed:
                    continue
                yield _message(change_id, change)
            yield ServerSentEventMessage(event="resync", data="{}")  # overflowed: reload and reconnect
        finally:
            self.unsubscribe(subscription)
