"""make_broker: what a message was sent under reaches sync and async actors, is reset after, and is counted.

A real dramatiq worker in this process, on the session's Redis.
"""

from __future__ import annotations

import asyncio
import queue
import uuid
from collections.abc import Iterator
from typing import Any

import dramatiq
import msgspec
import pytest
from dramatiq.brokers.redis import RedisBroker
from prometheus_client import REGISTRY

from shared.audit import current_actor
from shared.context import current_request_id, current_tenant
from shared.messaging.broker import make_broker
from shared.messaging.consumer import EventConsumer
from shared.settings import Settings

Seen = tuple[str, uuid.UUID | None, str | None, str | None]


@pytest.fixture
def broker(settings: Settings) -> Iterator[RedisBroker]:
    made = make_broker(settings)
    yield made
    made.close()


def _seen(label: str) -> Seen:
    actor = current_actor.get()
    return label, current_tenant.get(), current_request_id.get(), actor.id if actor else None


def _count(name: str, queue_name: str, actor: str) -> float:
    return REGISTRY.get_sample_value(name, {"queue": queue_name, "actor": actor}) or 0.0


def test_tenant_and_request_id_are_bound_for_the_actor_and_reset_after(broker: RedisBroker) -> None:
    queue_name = f"mwtest_{uuid.uuid4().hex[:8]}"
    seen: queue.Queue[Seen] = queue.Queue()

    @dramatiq.actor(broker=broker, queue_name=queue_name, max_retries=0)
    def sync_probe(label: str) -> None:
        seen.put(_seen(label))

    @dramatiq.actor(broker=broker, queue_name=queue_name, max_retries=0)
    async def async_probe(label: str) -> None:
        await asyncio.sleep(0)
        seen.put(_seen(label))

    @dramatiq.actor(broker=broker, queue_name=queue_name, max_retries=0)
    def boom() -> None:
        raise RuntimeError("boom")

    def send(actor: str, args: tuple[Any, ...], **options: str) -> None:
        # as the relay does: by name, without the actor object
        broker.enqueue(dramatiq.Message(queue_name=queue_name, actor_name=actor, args=args, kwargs={}, options=options))

    tenant = uuid.uuid4()
    failed_before = _count("redcell_messages_failed_total", queue_name, "boom")
    # one thread: the message after a tenant's message runs on the same thread, and must not inherit it
    worker = dramatiq.Worker(broker, worker_timeout=100, worker_threads=1)
    worker.start()
    try:
        send("sync_probe", ("sync",), tenant_id=str(tenant), request_id="req-sync")
        assert seen.get(timeout=20) == ("sync", tenant, "req-sync", f"system:{queue_name}")
        send("sync_probe", ("bare",))
        assert seen.get(timeout=20) == ("bare", None, None, f"system:{queue_name}")
        send("async_probe", ("async",), tenant_id=str(tenant), request_id="req-async")
        assert seen.get(timeout=20) == ("async", tenant, "req-async", f"system:{queue_name}")
        send("boom", ())
        send("async_probe", ("after-failure",))
        assert seen.get(timeout=20) == ("after-failure", None, None, f"system:{queue_name}")
    finally:
        worker.stop(timeout=5000)
    assert _count("redcell_messages_processed_total", queue_name, "sync_probe") == 2
    assert _count("redcell_messages_processed_total", queue_name, "async_probe") == 2
    assert _count("redcell_messages_failed_total", queue_name, "boom") == failed_before + 1
    assert current_tenant.get() is None  # nothing leaked into the test's own thread either


def test_the_consumer_actor_is_declared_once_with_retries_and_no_retry_for_undecodable_envelopes(
    broker: RedisBroker,
) -> None:
    consumer = EventConsumer("kerneltest")
    actor = consumer.declare(broker)
    assert consumer.declare(broker) is actor
    assert (actor.actor_name, actor.queue_name) == ("handle_event", "kerneltest.events")
    assert broker.get_actor("handle_event") is actor
    assert actor.options["max_retries"] >= 10
    assert actor.options["max_backoff"] <= 3_600_000
    assert actor.options["throws"] == (msgspec.ValidationError,)


def test_the_worker_settings_reach_the_broker(settings: Settings) -> None:
    custom = settings.model_copy(
        update={"worker": settings.worker.model_copy(update={"heartbeat_timeout_ms": 2500, "maintenance_chance": 7})}
    )
    made = make_broker(custom)
    try:
        assert (made.heartbeat_timeout, made.maintenance_chance) == (2500, 7)
        names = [type(m).__name__ for m in made.middleware]
        for expected in ("AsyncIO", "TenantMiddleware", "RequestIdMiddleware", "MetricsMiddleware", "Retries"):
            assert expected in names
    finally:
        made.close()
