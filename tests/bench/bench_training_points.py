"""The points ledger consuming dispatch's events (issue 13): goal at least 1,000 events a second.

    .venv/bin/python -m tests.bench.bench_training_points [--quick] [--write docs/benchmarks.md]

Starts its own servers, migrates training's database and puts one district in it (its points categories and
1,000 members, as orgtree's events would leave them). A real ``redcell worker training`` is started and left to
become idle; then ``ServiceCompleted`` envelopes are sent to the training queue exactly as dispatch's relay sends
them (one message per event, the tenant in the options), with redeliveries: a tenth of the envelopes a second time
under the same envelope id (the inbox skips them) and a tenth replayed under a new envelope id (the handler runs
and the ledger's unique source refuses a second credit). The ledger is watched until every order is credited.
Run with the worker's default 4 threads, with 8, and with two workers of 4, each run in a district of its own.

The rate is messages handled per second between the first and the last message the worker took (the inbox's
``processed_at``, PostgreSQL's clock). Each order must be credited exactly once. Figures only: the goal is printed
beside them, never asserted. Not collected by pytest, not in ``tests/bench/run.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dramatiq
import msgspec
import psutil
from sqlalchemy import text

from deploy import local_servers
from services.training.app import MIGRATIONS
from services.training.models import Person, PersonKind
from services.training.points.defaults import seed_points_categories
from shared.context import tenant_scope
from shared.contracts.base import Envelope, payload_of
from shared.contracts.dispatch import ServiceCompleted
from shared.contracts.routing import EVENTS_ACTOR, events_queue
from shared.db.engine import make_engine, make_sessionmaker
from shared.messaging.broker import make_broker
from shared.settings import Settings
from tests.bench.cli import run_section
from tests.bench.report import replace_section
from tests.platform.plugin import prepare_database, settings_for
from tests.platform.processes import RunningProcess

SECTION = "## Training: the points ledger consuming dispatch's events"
GOAL_EVENTS_PER_S = 1000
MEMBERS = 1000
# (worker processes, threads each): the default worker; twice the handlers in flight on its one event loop; two
# replicas (a worker process uses one core at the most)
RUNS = ((1, 4), (1, 8), (2, 4))


async def district(settings: Settings) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A district with its points categories and ``MEMBERS`` members; their member ids."""
    tenant = uuid.uuid4()
    members = [uuid.uuid4() for _ in range(MEMBERS)]
    engine = make_engine(settings, "training", "app", pool_size=1)
    try:
        with tenant_scope(tenant):
            async with make_sessionmaker(engine)() as session, session.begin():
                await seed_points_categories(session)
                session.add_all(
                    Person(kind=PersonKind.MEMBER, member_id=m, name=f"压测党员{i}", branch_path=f"/bench/b{i % 20}/")
                    for i, m in enumerate(members)
                )
    finally:
        await engine.dispose()
    return tenant, members


def message(envelope: dict[str, Any], tenant: uuid.UUID) -> dramatiq.Message[Any]:
    return dramatiq.Message(
        queue_name=events_queue("training"),
        actor_name=EVENTS_ACTOR,
        args=(envelope,),
        kwargs={},
        options={"tenant_id": str(tenant)},
    )


def orders(tenant: uuid.UUID, members: list[uuid.UUID], n: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The envelopes of ``n`` completed services (one per order), then the redeliveries and replays."""
    envelopes = []
    for i in range(n):
        event = ServiceCompleted(
            tenant_id=tenant,
            ticket_id=uuid.uuid4(),
            provider_id=uuid.uuid4(),
            member_id=members[i % len(members)],
            minutes=30 + i % 90,
            points=(30 + i % 90) * 10 // 60,
        )
        raw = Envelope(
            id=uuid.uuid4(),
            event=event.NAME,
            version=event.VERSION,
            tenant_id=tenant,
            occurred_at=datetime.now(UTC),
            payload=payload_of(event),
        )
        envelopes.append(msgspec.to_builtins(raw))
    redelivered = envelopes[::10]
    replayed = [{**e, "id": str(uuid.uuid4())} for e in envelopes[5::10]]
    sent = {
        "orders": n,
        "redelivered_same_envelope": len(redelivered),
        "replayed_new_envelope": len(replayed),
        "messages": n + len(redelivered) + len(replayed),
        "expected_points": sum(e["payload"]["points"] for e in envelopes),
    }
    return [*envelopes, *redelivered, *replayed], sent


def enqueue(settings: Settings, tenant: uuid.UUID, envelopes: list[dict[str, Any]]) -> float:
    """Send the envelopes as dispatch's relay would; the seconds it took."""
    broker = make_broker(settings)
    started = time.perf_counter()
    for envelope in envelopes:
        broker.enqueue(message(envelope, tenant))
    broker.close()
    return time.perf_counter() - started


def idle(process: psutil.Process, at_most_s: float = 60) -> float:
    """Wait until the started worker stops using CPU (imports done, consuming); its CPU seconds by then."""
    deadline = time.monotonic() + at_most_s
    used = -1.0
    while time.monotonic() < deadline:
        times = process.cpu_times()
        now_used = times.user + times.system
        if now_used - used < 0.02:
            return now_used
        used = now_used
        time.sleep(1.0)
    return used


async def ledger(settings: Settings, tenant: uuid.UUID) -> dict[str, Any]:
    """What the ledger and the inbox hold for the district (read on the system role, across RLS)."""
    engine = make_engine(settings, "training", "system", pool_size=1)
    try:
        async with engine.connect() as conn:
            entries = (
                await conn.execute(
                    text(
                        "SELECT count(*) AS n, count(DISTINCT source_id) AS sources, "
                        "coalesce(sum(points), 0) AS points FROM points_entry WHERE tenant_id = :t"
                    ),
                    {"t": tenant},
                )
            ).one()
            inbox = (
                await conn.execute(
                    text(
                        "SELECT count(*) AS n, min(processed_at) AS first, max(processed_at) AS last "
                        "FROM inbox_message WHERE tenant_id = :t AND consumer = 'training'"
                    ),
                    {"t": tenant},
                )
            ).one()
            pending = await conn.scalar(text("SELECT count(*) FROM points_pending WHERE tenant_id = :t"), {"t": tenant})
    finally:
        await engine.dispose()
    return {
        "entries": entries.n,
        "distinct_sources": entries.sources,
        "points": int(entries.points),
        "inbox": inbox.n,
        "first": inbox.first,
        "last": inbox.last,
        "pending": pending,
    }


def postgres_cpu(root: Path) -> float:
    """CPU seconds of this run's PostgreSQL so far: the postmaster and its backends (the worker's stay connected)."""
    postmaster = psutil.Process(int((root / "pg" / "data" / "postmaster.pid").read_text().split()[0]))
    return sum(sum(p.cpu_times()[:2]) for p in [postmaster, *postmaster.children(recursive=True)])


def drain(
    settings: Settings, env: dict[str, str], root: Path, *, replicas: int, threads: int, n: int
) -> dict[str, Any]:
    """A fresh district; the workers started and idle; the orders sent; wait until each is credited."""
    tenant, members = asyncio.run(district(settings))
    envelopes, sent = orders(tenant, members, n)
    workers = [
        RunningProcess(
            name=f"worker-training-{replicas}x{threads}-{i}",
            argv=[sys.executable, "-m", "shared.cli", "worker", "training"],
            env={**os.environ, **env, "REDCELL_WORKER__THREADS": str(threads)},
            log_path=root / f"worker-training-{replicas}x{threads}-{i}.log",
        )
        for i in range(replicas)
    ]
    for worker in workers:
        worker.start()
    processes = [psutil.Process(worker.proc.pid) for worker in workers if worker.proc is not None]
    unique_envelopes = sent["orders"] + sent["replayed_new_envelope"]
    state: dict[str, Any] = {}
    try:
        cpu_before = sum(idle(process) for process in processes)
        pg_before = postgres_cpu(root)
        load = os.getloadavg()[0]
        started = time.perf_counter()
        sent["enqueue_s"] = round(enqueue(settings, tenant, envelopes), 2)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            state = asyncio.run(ledger(settings, tenant))
            if state["entries"] >= sent["orders"] and state["inbox"] >= unique_envelopes:
                break
            for worker in workers:
                if worker.proc is not None and worker.proc.poll() is not None:
                    raise RuntimeError(f"a worker exited:\n{worker.log_tail()}")
            time.sleep(0.2)
        wall = time.perf_counter() - started
        time.sleep(2)  # the redeliveries the inbox skips leave no row: give them time to be taken too
        cpu = sum(sum(process.cpu_times()[:2]) for process in processes) - cpu_before
        pg = postgres_cpu(root) - pg_before
        state = asyncio.run(ledger(settings, tenant))
    finally:
        for worker in workers:
            worker.stop()
    span = (state["last"] - state["first"]).total_seconds() if state.get("first") else float("nan")
    return {
        "worker_processes": replicas,
        "worker_threads": threads,
        "sent": sent,
        "load_average_before": round(load, 2),
        "wall_s_from_first_send": round(wall, 2),
        "draining_s": round(span, 2),
        "messages_per_s": round(sent["messages"] / span) if span else None,
        "orders_per_s": round(sent["orders"] / span) if span else None,
        "worker_cpu_ms_per_message": round(cpu * 1000 / sent["messages"], 3),
        "postgres_cpu_ms_per_message": round(pg * 1000 / sent["messages"], 3),
        "entries": state["entries"],
        "distinct_sources": state["distinct_sources"],
        "points": state["points"],
        "inbox_rows": state["inbox"],
        "pending": state["pending"],
        "credited_exactly_once": state["entries"] == state["distinct_sources"] == sent["orders"]
        and state["points"] == sent["expected_points"],
    }


def main_with(*, quick: bool = False, write: Path | None = None) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="redcell-bench-points-"))
    state = local_servers.up(root, durable=False)
    settings = settings_for(state)
    env = {**state.env(), "REDCELL_ENV": "test", "REDCELL_LOG_LEVEL": "WARNING"}
    results: dict[str, Any] = {}
    try:
        asyncio.run(prepare_database(settings, "training", MIGRATIONS))
        n = 3000 if quick else 20000
        results = {
            "runs": [drain(settings, env, root, replicas=replicas, threads=threads, n=n) for replicas, threads in RUNS]
        }
    finally:
        local_servers.down(root, remove=True)
    results["host"] = {"cpus": psutil.cpu_count(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    results["quick"] = quick
    print(json.dumps({"training_points": results}, indent=2, ensure_ascii=False, default=str))
    if write is not None:
        replace_section(write, SECTION, render(results))
    return results


def render(r: dict[str, Any]) -> str:
    first = r["runs"][0]["sent"]
    run = f"{r['host']['date']}, {r['host']['cpus']} cores" + (", quick run" if r["quick"] else "")
    rows = "\n".join(
        f"| {d['worker_processes']} × {d['worker_threads']} | {d['sent']['messages']:,} | {d['draining_s']} "
        f"| **{d['messages_per_s']}** "
        f"| {d['orders_per_s']} | {d['worker_cpu_ms_per_message']} | {d['postgres_cpu_ms_per_message']} "
        f"| {d['load_average_before']} "
        f"| {'yes' if d['credited_exactly_once'] else '**no**'} ({d['entries']:,} entries) |"
        for d in r["runs"]
    )
    return f"""{SECTION}

Measured by `tests/bench/bench_training_points.py` ({run}): `ServiceCompleted` envelopes sent to the training
queue as dispatch's relay sends them, {first["orders"]:,} orders of {MEMBERS:,} members plus
{first["redelivered_same_envelope"]:,} redeliveries of the same envelope and {first["replayed_new_envelope"]:,} replays
under new envelope ids ({first["messages"]:,} messages), drained by one real `redcell worker training` already started
and idle (and by two such workers), on the same cores as PostgreSQL, Redis and the sender. Goal: ≥
{GOAL_EVENTS_PER_S:,} events/s.

| workers × threads | messages | draining (s) | messages/s | orders credited/s | worker CPU per message (ms) \
| PostgreSQL CPU per message (ms) | load average before | credited exactly once |
|---|---|---|---|---|---|---|---|---|
{rows}

The rate runs from the first to the last message the worker took (the inbox's `processed_at`, PostgreSQL's clock).
The load average is the machine's before the run (other work on the same two cores counts against every figure).

Raw results:

```json
{json.dumps(r, indent=2, ensure_ascii=False, default=str)}
```
"""


if __name__ == "__main__":
    run_section(main_with)
