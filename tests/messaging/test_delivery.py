"""Nothing lost, nothing done twice: outbox → relay → Redis → worker, as real processes on real servers.

Each probe's handler commits one audit row (action "effect", subject_id = probe id) with its inbox
row, so counting rows per probe counts applications. "Exactly once" is checked after the outbox is
fully published and Redis holds no unacknowledged message, so a late duplicate would have landed.
"""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db.urls import admin_url, database_url, plain_dsn
from shared.messaging.broker import make_broker
from shared.messaging.relay import message_for
from shared.settings import Settings
from tests.messaging.probe import SERVICE
from tests.messaging.support import (
    OwnRedis,
    Pipeline,
    assert_exactly_once,
    effect_rows,
    effects,
    held_by_workers,
    outbox_rows,
    publish_probes,
    queue_is_drained,
    unpublished,
    wait_until,
)

pytestmark = pytest.mark.slow

RELAY_APP = f"redcell-{SERVICE}-relay"  # the relay's application_name in pg_stat_activity


async def relay_backends(settings: Settings) -> set[int]:
    conn = await asyncpg.connect(plain_dsn(admin_url(settings)))
    try:
        rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE application_name = $1", RELAY_APP)
        return {row["pid"] for row in rows}
    finally:
        await conn.close()


async def wait_for_relay_listening(pipeline: Pipeline, settings: Settings) -> set[int]:
    async def listening() -> set[int]:
        return await relay_backends(settings)

    return await wait_until(listening, "relay connected to PostgreSQL", pipeline=pipeline)


async def test_each_event_is_applied_once_in_its_tenant_with_its_request_id(
    pipeline: Pipeline, settings: Settings, kernel_app_engine: AsyncEngine, kernel_system_engine: AsyncEngine
) -> None:
    # An hour's poll interval: only NOTIFY can wake this relay once it is idle.
    relay = pipeline.start("relay", REDCELL_RELAY__POLL_INTERVAL_S="3600")
    worker = pipeline.start("worker")
    await wait_for_relay_listening(pipeline, settings)
    tenant_a, tenant_b = uuid.uuid4(), uuid.uuid4()
    probes_a, outbox_a = await publish_probes(kernel_app_engine, tenant_a, 10, per_transaction=1, request_id="req-a")
    probes_b, outbox_b = await publish_probes(kernel_app_engine, tenant_b, 10, per_transaction=5, request_id="req-b")
    await assert_exactly_once(
        kernel_system_engine, [*probes_a, *probes_b], [*outbox_a, *outbox_b], settings.redis.url, pipeline
    )
    for tenant, probes, request_id in ((tenant_a, probes_a, "req-a"), (tenant_b, probes_b, "req-b")):
        rows = await effect_rows(kernel_system_engine, probes)
        assert {row["tenant_id"] for row in rows} == {tenant}  # written under RLS as the app role
        assert {row["detail"]["tenant_seen"] for row in rows} == {str(tenant)}
        assert {row["request_id"] for row in rows} == {request_id}
        assert {row["actor_id"] for row in rows} == {f"system:{SERVICE}.events"}
    # SIGTERM: both finish what they hold and exit cleanly
    relay.stop()
    worker.stop()
    assert relay.proc is not None
    assert worker.proc is not None
    assert (relay.proc.returncode, worker.proc.returncode) == (0, 0), pipeline.logs()


async def test_the_same_envelope_delivered_twice_changes_nothing_the_second_time(
    pipeline: Pipeline, settings: Settings, kernel_app_engine: AsyncEngine, kernel_system_engine: AsyncEngine
) -> None:
    pipeline.start("relay")
    worker = pipeline.start("worker")
    probes, outbox = await publish_probes(kernel_app_engine, uuid.uuid4(), 5)
    await assert_exactly_once(kernel_system_engine, probes, outbox, settings.redis.url, pipeline)
    # Deliver every envelope again, exactly as the relay sent it (same message id), as after a relay crash.
    conn = await asyncpg.connect(plain_dsn(database_url(settings, SERVICE, "system")))
    broker = make_broker(settings)
    try:
        for row in await conn.fetch("SELECT * FROM outbox_message WHERE id = ANY($1::uuid[])", outbox):
            broker.enqueue(message_for(row, SERVICE))
    finally:
        broker.close()
        await conn.close()

    async def skipped_all() -> bool:
        events = pipeline.log_events(worker)
        skipped = {e.get("message_id") for e in events if e.get("event") == "event already applied"}
        return skipped >= {str(i) for i in outbox} and queue_is_drained(settings.redis.url)

    await wait_until(skipped_all, "the worker skipping the redelivered envelopes", pipeline=pipeline)
    await assert_exactly_once(kernel_system_engine, probes, outbox, settings.redis.url, pipeline)


async def test_an_event_committed_while_redis_is_down_is_delivered_once_it_is_back(
    pipeline: Pipeline, own_redis: OwnRedis, kernel_app_engine: AsyncEngine, kernel_system_engine: AsyncEngine
) -> None:
    env = {"REDCELL_REDIS__URL": own_redis.url, "REDCELL_RELAY__RETRY_BACKOFF_MAX_S": "1"}
    pipeline.start("relay", **env)
    pipeline.start("worker", **env)
    tenant = uuid.uuid4()
    warm, warm_outbox = await publish_probes(kernel_app_engine, tenant, 1)
    await assert_exactly_once(kernel_system_engine, warm, warm_outbox, own_redis.url, pipeline)

    own_redis.kill()
    probes, outbox = await publish_probes(kernel_app_engine, tenant, 5, per_transaction=1)

    async def relay_tried_and_failed() -> bool:
        rows = await outbox_rows(kernel_system_engine, outbox)
        return any(row["attempts"] > 0 and row["last_error"] for row in rows)

    await wait_until(relay_tried_and_failed, "the relay recording a failed publish", pipeline=pipeline)
    assert await unpublished(kernel_system_engine, outbox) == len(outbox)  # nothing marked sent
    assert await effects(kernel_system_engine, probes) == {}

    own_redis.start()  # same port, empty: whatever reaches the worker now was published after the restart
    await assert_exactly_once(kernel_system_engine, probes, outbox, own_redis.url, pipeline)


async def test_kill_9_of_the_relay_mid_flight_loses_nothing_and_applies_each_event_once(
    pipeline: Pipeline, settings: Settings, kernel_app_engine: AsyncEngine, kernel_system_engine: AsyncEngine
) -> None:
    probes, outbox = await publish_probes(kernel_app_engine, uuid.uuid4(), 2000, per_transaction=500)
    pipeline.start("worker")
    relay = pipeline.start("relay", REDCELL_RELAY__BATCH_SIZE="2")  # small batches: a long stream of claims

    async def some_published() -> bool:
        return await unpublished(kernel_system_engine, outbox) < len(outbox)

    await wait_until(some_published, "the relay publishing its first rows", pipeline=pipeline)
    pipeline.kill9(relay)
    left = await unpublished(kernel_system_engine, outbox)
    assert left > 0, "the relay finished before the kill: nothing was tested"
    pipeline.start("relay", REDCELL_RELAY__BATCH_SIZE="50")
    await assert_exactly_once(kernel_system_engine, probes, outbox, settings.redis.url, pipeline, timeout_s=180)


async def test_kill_9_of_the_worker_mid_flight_loses_nothing_and_applies_each_event_once(
    pipeline: Pipeline, settings: Settings, kernel_app_engine: AsyncEngine, kernel_system_engine: AsyncEngine
) -> None:
    # Each handler holds its transaction 300 ms: 4 threads busy and more prefetched when the kill lands.
    probes, outbox = await publish_probes(kernel_app_engine, uuid.uuid4(), 60, hold_ms=300)
    pipeline.start("relay")
    worker = pipeline.start("worker")

    async def first_effect() -> bool:
        return bool(await effects(kernel_system_engine, probes))

    await wait_until(first_effect, "the worker applying its first events", pipeline=pipeline)
    pipeline.kill9(worker)
    done = len(await effects(kernel_system_engine, probes))
    assert done < len(probes), "the worker finished before the kill: nothing was tested"
    assert held_by_workers(settings.redis.url) > 0  # the dead worker took messages it never acknowledged
    # The new worker's maintenance requeues them once the dead one's 2 s heartbeat has expired.
    pipeline.start("worker")
    await assert_exactly_once(kernel_system_engine, probes, outbox, settings.redis.url, pipeline)


async def test_two_relays_at_once_publish_each_row_once(
    pipeline: Pipeline, settings: Settings, kernel_app_engine: AsyncEngine, kernel_system_engine: AsyncEngine
) -> None:
    worker = pipeline.start("worker")
    pipeline.start("relay", REDCELL_RELAY__BATCH_SIZE="10")
    pipeline.start("relay", REDCELL_RELAY__BATCH_SIZE="10")
    probes, outbox = await publish_probes(kernel_app_engine, uuid.uuid4(), 600, per_transaction=20)
    await assert_exactly_once(kernel_system_engine, probes, outbox, settings.redis.url, pipeline)
    # SKIP LOCKED kept the relays apart: not one envelope reached the worker twice
    duplicates = [
        e for e in pipeline.log_events(worker) if e.get("event") == "event already applied" and e.get("message_id")
    ]
    assert {e["message_id"] for e in duplicates} & {str(i) for i in outbox} == set()


async def test_the_relay_listens_again_after_postgresql_drops_its_connection(
    pipeline: Pipeline, settings: Settings, kernel_app_engine: AsyncEngine, kernel_system_engine: AsyncEngine
) -> None:
    # An hour's poll interval: after the drop, only a new LISTEN can bring events in.
    pipeline.start("relay", REDCELL_RELAY__POLL_INTERVAL_S="3600")
    pipeline.start("worker")
    before = await wait_for_relay_listening(pipeline, settings)
    warm, warm_outbox = await publish_probes(kernel_app_engine, uuid.uuid4(), 1)
    await assert_exactly_once(kernel_system_engine, warm, warm_outbox, settings.redis.url, pipeline)

    assert len(before) == 1
    admin = await asyncpg.connect(plain_dsn(admin_url(settings)))
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", next(iter(before))) is True
    finally:
        await admin.close()

    async def reconnected() -> set[int]:
        now = await relay_backends(settings)
        return now if now and not now & before else set()

    await wait_until(reconnected, "the relay reconnecting", pipeline=pipeline)
    probes, outbox = await publish_probes(kernel_app_engine, uuid.uuid4(), 3, per_transaction=1)
    await assert_exactly_once(kernel_system_engine, probes, outbox, settings.redis.url, pipeline)
