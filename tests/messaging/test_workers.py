"""Several worker processes under one ``worker --processes N``, several such workers on one queue: every event is
applied exactly once, batches of the sync lane included, duplicates of the same envelope id included."""

from __future__ import annotations

import os
import signal
import uuid

import asyncpg
import httpx
import psutil
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from deploy import local_servers
from shared.contracts.routing import Route, sync
from shared.db.urls import database_url, plain_dsn
from shared.messaging.broker import make_broker
from shared.messaging.relay import batch_message_for, message_for, messages_for
from shared.settings import Settings
from tests.messaging.probe import SERVICE, ProbeHappened, SyncProbe, routes
from tests.messaging.support import (
    Pipeline,
    assert_exactly_once,
    effect_rows,
    publish_probes,
    unpublished,
    wait_until,
)

pytestmark = pytest.mark.slow


def children_of(pipeline: Pipeline, name: str) -> list[psutil.Process]:
    process = next(p for p in pipeline.processes if p.name == name)
    assert process.proc is not None
    return psutil.Process(process.proc.pid).children()


async def resend_as_duplicates(settings: Settings, outbox: list[uuid.UUID]) -> int:
    """Every envelope again under the same ids, as a relay crash would leave them, cut differently: each row alone,
    the relay's own batches, and batches holding one envelope twice."""
    conn = await asyncpg.connect(plain_dsn(database_url(settings, SERVICE, "system")))
    broker = make_broker(settings)
    try:
        rows = await conn.fetch("SELECT * FROM outbox_message WHERE id = ANY($1::uuid[]) ORDER BY seq", outbox)
        messages = [message_for(row, route) for row in rows for route in routes(row["event"])]
        messages += messages_for(rows, routes)
        lane = sync(SERVICE)
        synced = [row for row in rows if row["event"] == SyncProbe.NAME]
        messages += [batch_message_for([row, row, *synced[i + 1 : i + 3]], lane) for i, row in enumerate(synced[::7])]
        broker.enqueue_many(messages)
        return len(messages)
    finally:
        broker.close()
        await conn.close()


async def test_two_workers_of_two_processes_each_apply_every_event_once(
    pipeline: Pipeline, settings: Settings, kernel_app_engine: AsyncEngine, kernel_system_engine: AsyncEngine
) -> None:
    workers = [pipeline.start("worker", "--processes", "2") for _ in range(2)]
    first, second = uuid.uuid4(), uuid.uuid4()
    # interleaved districts and lanes: the relay cuts the sync lane's batches at each change of district
    probes, outbox = [], []
    for tenant, kind, count in ((first, SyncProbe, 300), (second, SyncProbe, 200), (first, ProbeHappened, 120)):
        made, rows = await publish_probes(kernel_app_engine, tenant, count, per_transaction=40, hold_ms=5, kind=kind)
        probes += made
        outbox += rows
    pipeline.start("relay")

    async def published() -> bool:
        return await unpublished(kernel_system_engine, outbox) == 0

    await wait_until(published, "the relay publishing every row", pipeline=pipeline)
    await wait_until(lambda: _all_started(pipeline, [w.name for w in workers]), "two children per worker")
    # applied as the relay sent them (the batches it cut) before the duplicates come: a single duplicate goes before
    # a batch still queued (the events actor's priority), and the batches would not all be the first application
    await assert_exactly_once(kernel_system_engine, probes, outbox, settings.redis.url, pipeline, timeout_s=180)
    assert await resend_as_duplicates(settings, outbox) > len(outbox)

    await assert_exactly_once(kernel_system_engine, probes, outbox, settings.redis.url, pipeline, timeout_s=180)
    applied = await effect_rows(kernel_system_engine, probes)
    assert len({row["detail"]["pid"] for row in applied}) >= 2, "one process did all the work: nothing was tested"
    assert {row["detail"]["pid"] for row in applied} <= {
        child.pid for worker in workers for child in children_of(pipeline, worker.name)
    }
    batched = [row for row in applied if row["detail"].get("batched")]
    assert batched, "no batch reached the batch handler"
    assert {row["detail"]["tenant_seen"] for row in batched} == {str(first), str(second)}
    # each batch ran in its own district: the RLS-bound tenant is the row's
    assert all(row["detail"]["tenant_seen"] == str(row["tenant_id"]) for row in batched)

    for worker in workers:
        children = children_of(pipeline, worker.name)
        assert worker.proc is not None
        os.kill(worker.proc.pid, signal.SIGTERM)  # to the parent alone, as Kubernetes does: it forwards it
        assert worker.proc.wait(timeout=60) == 0, pipeline.logs()
        assert not any(child.is_running() for child in children)
        pipeline.processes.remove(worker)


async def test_a_worker_process_that_dies_takes_its_parent_and_siblings_down(pipeline: Pipeline) -> None:
    port = local_servers.free_ports(1)[0]
    worker = pipeline.start("worker", "--processes", "2", REDCELL_PROBE_PORT=str(port))
    await wait_until(lambda: _all_started(pipeline, [worker.name]), "two children")
    # the parent alone answers the probe port (the children were told 0): alive while both children run
    probes = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(timeout=10) as client:
        assert (await client.get(f"{probes}/livez")).status_code == 200
        assert (await client.get(f"{probes}/readyz")).json()["status"] == "ok"
        assert "process_cpu_seconds_total" in (await client.get(f"{probes}/metrics")).text
    doomed, sibling = children_of(pipeline, worker.name)
    doomed.send_signal(signal.SIGKILL)
    assert worker.proc is not None
    assert worker.proc.wait(timeout=60) == 1, pipeline.logs()
    assert not sibling.is_running() or sibling.status() == psutil.STATUS_ZOMBIE
    pipeline.processes.remove(worker)


async def _all_started(pipeline: Pipeline, names: list[str]) -> bool:
    return all(len(children_of(pipeline, name)) == 2 for name in names)


def test_the_relay_batches_consecutive_rows_of_one_district_for_a_sync_lane_only() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()

    def row(tenant: uuid.UUID, event: str) -> dict[str, object]:
        return {
            "id": uuid.uuid4(),
            "tenant_id": tenant,
            "event": event,
            "payload": '{"version": 1}',
            "request_id": None,
            "created_at": "2026-12-07T08:00:00+00:00",
        }

    rows = [row(a, SyncProbe.NAME), row(a, SyncProbe.NAME), row(a, "kerneltest.ProbeHappened")]
    rows += [row(a, SyncProbe.NAME), row(b, SyncProbe.NAME), row(b, SyncProbe.NAME), row(a, SyncProbe.NAME)]
    messages = messages_for(rows, routes)
    shapes = [(m.queue_name, m.actor_name, len(m.args[0]) if isinstance(m.args[0], list) else 1) for m in messages]
    assert shapes == [
        ("kerneltest.events", "handle_event", 1),
        ("kerneltest.sync", "handle_events", 3),  # a's three, the events lane's row in between does not cut it
        ("kerneltest.sync", "handle_events", 2),  # b's two
        ("kerneltest.sync", "handle_event", 1),  # a's again: alone, a plain message
    ]
    sent = [envelope["id"] for m in messages if m.queue_name.endswith(".sync") for envelope in _envelopes(m.args[0])]
    assert sent == [str(r["id"]) for r in rows if r["event"] == SyncProbe.NAME]  # in outbox order
    assert Route(SERVICE).queue == "kerneltest.events"


def _envelopes(arg: object) -> list[dict[str, str]]:
    return arg if isinstance(arg, list) else [arg]  # type: ignore[list-item]
