"""dramatiq's Redis broker without the idle polling: consumers sleep until a message is enqueued.

dramatiq's Redis consumer asks Redis for messages in a loop (its ``fetch`` is a Lua script, which cannot block),
backing off to the worker timeout when the queue is empty: at 100 ms, ten round trips a second per queue and per
delay queue of every idle process. Here every enqueue also PUBLISHes on the queue's wake channel, and an idle
consumer waits on its subscription (a blocking read: no CPU) instead of sleeping between polls. A wake-up sent
while the consumer is fetching stays in its subscription's buffer, so none is lost between "the queue was empty"
and "wait".

The consumer still fetches after ``idle_wait_ms`` without a wake-up, because the fetch is what refreshes the
process's heartbeat in Redis (a process silent for ``heartbeat_timeout`` is taken for dead and its unacknowledged
messages are requeued), and it runs the maintenance that requeues a dead process's messages on that fetch, since
an idle process no longer sends the thousands of commands that the random maintenance chance was sized for.
A delayed message (a retry) held by the delay queue's consumer wakes it when it falls due.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import redis
from dramatiq import Message, Middleware
from dramatiq.broker import MessageProxy
from dramatiq.brokers.redis import RedisBroker, _RedisConsumer
from dramatiq.common import current_millis
from dramatiq.errors import ConnectionClosed

from shared.logging import get_logger

log = get_logger(__name__)

_BUSY_WAIT_S = 0.1  # prefetch full: the longest wait for a worker thread to free a slot (an ack wakes it sooner)
_NUDGE_S = 0.1  # while the process stops: how often its own consumers are woken until they have gone


class WakingRedisBroker(RedisBroker):
    """A RedisBroker whose enqueues wake the queue's idle consumers; ``enqueue_many`` sends in one round trip."""

    def __init__(self, *, idle_wait_ms: int, **options: Any) -> None:
        super().__init__(**options)  # type: ignore[no-untyped-call]
        # Under the heartbeat timeout, with room for a slow round trip: an idle process stays alive.
        self.idle_wait_s = max(0.05, min(idle_wait_ms, self.heartbeat_timeout // 3) / 1000)
        self.add_middleware(_WakeOwnConsumersOnShutdown())

    @property
    def consumer_class(self) -> type[_RedisConsumer]:
        return WakefulConsumer

    def wake_channel(self, queue_name: str) -> str:
        return f"{self.namespace}:wake:{queue_name}"

    @property
    def own_channel(self) -> str:
        """This process's consumers alone (woken to notice that they are stopping)."""
        return f"{self.namespace}:wake:__broker__.{self.broker_id}"

    def enqueue(self, message: Message[Any], *, delay: int | None = None) -> Message[Any]:
        enqueued = super().enqueue(message, delay=delay)
        self.client.publish(self.wake_channel(enqueued.queue_name), b"")
        return enqueued

    def enqueue_many(self, messages: Sequence[Message[Any]]) -> None:
        """Enqueue ``messages`` in order with one pipelined round trip, then wake each queue once. dramatiq's
        ``enqueue`` is one round trip per message, and the relay sends hundreds per batch of outbox rows."""
        if not messages:
            return
        unpack = self._max_unpack_size()  # type: ignore[no-untyped-call]  # a script call of its own, once
        dispatch = self.scripts["dispatch"]
        pipe = self.client.pipeline(transaction=False)
        sent = [message.copy(options={"redis_message_id": str(uuid.uuid4())}) for message in messages]
        for message in sent:
            self.emit_before("enqueue", message, None)
            args = [
                "enqueue",
                current_millis(),
                message.queue_name,
                self.broker_id,
                self.heartbeat_timeout,
                self.dead_message_ttl,
                0,  # no maintenance from a publisher
                unpack,
                message.options["redis_message_id"],
                message.encode(),
            ]
            dispatch(keys=[self.namespace], args=args, client=pipe)
        for queue_name in dict.fromkeys(message.queue_name for message in sent):
            pipe.publish(self.wake_channel(queue_name), b"")
        pipe.execute()
        for message in sent:
            self.emit_after("enqueue", message, None)

    def fetch(self, queue_name: str, count: int, *, maintain: bool) -> list[bytes]:
        """dramatiq's fetch, with its maintenance (requeueing dead processes' messages) forced when ``maintain``."""
        args = [
            "fetch",
            current_millis(),
            queue_name,
            self.broker_id,
            self.heartbeat_timeout,
            self.dead_message_ttl,
            1 if maintain else self._should_do_maintenance("fetch"),
            self._max_unpack_size(),  # type: ignore[no-untyped-call]
            count,
        ]
        fetched: list[bytes] = self.scripts["dispatch"](keys=[self.namespace], args=args)
        return fetched


class WakefulConsumer(_RedisConsumer):
    """dramatiq's Redis consumer that, with nothing to fetch, waits for a wake-up instead of polling."""

    broker: WakingRedisBroker

    def __init__(self, broker: WakingRedisBroker, queue_name: str, prefetch: int, timeout: int) -> None:
        super().__init__(broker, queue_name, prefetch, timeout)  # type: ignore[no-untyped-call]
        # Subscribed before the first fetch: a message enqueued from then on leaves a wake-up in this buffer.
        self.pubsub = broker.client.pubsub(ignore_subscribe_messages=True)
        try:
            self.pubsub.subscribe(broker.wake_channel(queue_name), broker.own_channel)
        except redis.ConnectionError as exc:
            raise ConnectionClosed(exc) from None  # type: ignore[no-untyped-call]
        self.slot_freed = threading.Event()
        self.due: dict[str, int] = {}  # delayed messages held (the delay queue's consumer): message id -> eta
        self.maintain = True  # the first fetch requeues what dead processes left, as a restart should

    def __next__(self) -> MessageProxy | None:
        try:
            while True:
                if self.message_cache:
                    data = self.message_cache.pop(0)
                    if data is None:  # dramatiq's #266 guard, as in its own consumer
                        continue
                    message = Message.decode(data)
                    self.queued_message_ids.add(message.message_id)
                    eta = message.options.get("eta")
                    if isinstance(eta, int | float):
                        self.due[message.message_id] = int(eta)
                    return MessageProxy(message)
                if self.outstanding_message_count >= self.prefetch:
                    # Busy, not idle: every slot is taken until a worker thread acknowledges a message.
                    self.slot_freed.wait(_BUSY_WAIT_S)
                    self.slot_freed.clear()
                    return None
                self._drain_wakeups()  # whatever they announced, this fetch takes
                wanted = self.prefetch - self.outstanding_message_count
                self.message_cache = self.broker.fetch(self.queue_name, wanted, maintain=self.maintain)
                self.maintain = False
                if self.message_cache:
                    continue
                woken = self.pubsub.get_message(timeout=self._idle_wait_s()) is not None
                self.maintain = not woken  # a quiet spell: this process's next fetch does the maintenance
                return None  # the consumer thread releases due delayed messages and notices a stop
        except redis.ConnectionError as exc:
            raise ConnectionClosed(exc) from None  # type: ignore[no-untyped-call]

    def _idle_wait_s(self) -> float:
        idle: float = self.broker.idle_wait_s
        if not self.due:
            return idle
        return max(0.0, min(idle, (min(self.due.values()) - current_millis()) / 1000))

    def _drain_wakeups(self) -> None:
        while self.pubsub.get_message(timeout=0.0) is not None:
            pass

    def _settled(self, message: Any) -> None:
        self.due.pop(message.message_id, None)
        self.slot_freed.set()

    def ack(self, message: Any) -> None:
        try:
            super().ack(message)  # type: ignore[no-untyped-call]
        finally:
            self._settled(message)

    def nack(self, message: Any) -> None:
        try:
            super().nack(message)  # type: ignore[no-untyped-call]
        finally:
            self._settled(message)

    def requeue(self, messages: Iterable[Any]) -> None:
        messages = list(messages)
        super().requeue(messages)  # type: ignore[no-untyped-call]
        for message in messages:
            self.due.pop(message.message_id, None)

    def close(self) -> None:
        try:
            self.pubsub.close()
        finally:
            super().close()


class _WakeOwnConsumersOnShutdown(Middleware):
    """A stopping worker joins its consumer threads, which may be waiting for a wake-up: wake this process's
    own consumers (and no other's) until they have gone, so that a stop takes no longer than the messages in
    hand."""

    def before_worker_shutdown(self, broker: Any, worker: Any) -> None:
        def nudge() -> None:
            client = redis.Redis(connection_pool=broker.client.connection_pool)
            while any(thread.is_alive() for thread in list(worker.consumers.values())):
                with contextlib.suppress(redis.RedisError):  # Redis away: the consumers' waits fail and they stop
                    client.publish(broker.own_channel, b"")
                time.sleep(_NUDGE_S)

        threading.Thread(target=nudge, name="wake-own-consumers", daemon=True).start()
