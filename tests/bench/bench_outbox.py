"""Outbox latency: business commit → the consumer's handler starting, at a steady rate.

    .venv/bin/python -m tests.bench.bench_outbox [--rate 50] [--seconds 20]

Starts its own PostgreSQL, Redis and S3 (``deploy.local_servers.up``) in a temporary folder, the
kerneltest relay and worker as subprocesses (as tests/messaging does), commits one event per
transaction at ``--rate`` per second and prints JSON. Both ends read the same host's wall clock: the
producer right after COMMIT returns, the handler as its first statement (after the inbox insert,
inside the consumer's transaction). Not collected by pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from deploy import local_servers
from shared.context import tenant_scope
from shared.db.engine import make_engine, make_sessionmaker
from shared.messaging.outbox import publish
from shared.settings import Settings
from tests.messaging.probe import SERVICE, ProbeHappened
from tests.messaging.support import (
    Pipeline,
    create_kernel_database,
    effect_rows,
    effects,
    pipeline_env,
    publish_probes,
    wait_until,
)
from tests.platform.plugin import settings_for


def pct(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


async def measure(settings: Settings, pipeline: Pipeline, rate: float, seconds: float) -> dict[str, Any]:
    app = make_engine(settings, SERVICE, "app", pool_size=2)
    system = make_engine(settings, SERVICE, "system", pool_size=2)
    tenant = uuid.uuid4()
    try:
        # warm-up: connections, prepared statements, the worker's first fetch
        warm, _ = await publish_probes(app, tenant, 20, per_transaction=1)

        async def warmed() -> bool:
            return len(await effects(system, warm)) == len(warm)

        await wait_until(warmed, "warm-up events", timeout_s=60, pipeline=pipeline)

        committed: dict[str, float] = {}
        sessions = make_sessionmaker(app)
        count = round(rate * seconds)
        start = time.monotonic()
        late = 0
        with tenant_scope(tenant):
            for i in range(count):
                delay = start + i / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                else:
                    late += 1
                probe = uuid.uuid4()
                async with sessions() as session, session.begin():
                    await publish(session, ProbeHappened(tenant_id=tenant, probe_id=probe))
                committed[str(probe)] = time.time()  # COMMIT has returned
        elapsed = time.monotonic() - start
        probes = [uuid.UUID(p) for p in committed]

        async def delivered() -> bool:
            return len(await effects(system, probes)) == len(probes)

        await wait_until(delivered, "every measured event", timeout_s=120, pipeline=pipeline)
        rows = await effect_rows(system, probes)
        started: dict[str, list[float]] = {}
        for row in rows:
            started.setdefault(row["subject_id"], []).append(float(row["detail"]["started_at"]))
        latencies = sorted((min(times) - committed[probe]) * 1000 for probe, times in started.items())
        return {
            "events": count,
            "achieved_rate_per_s": round(count / elapsed, 1),
            "late_sends": late,
            "delivered": len(started),
            "applied_more_than_once": sum(1 for times in started.values() if len(times) > 1),
            "latency_ms": {
                "p50": round(pct(latencies, 50), 2),
                "p90": round(pct(latencies, 90), 2),
                "p99": round(pct(latencies, 99), 2),
                "max": round(latencies[-1], 2),
                "min": round(latencies[0], 2),
            },
        }
    finally:
        await app.dispose()
        await system.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=50.0, help="events per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the measured run")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="redcell-bench-outbox-"))
    state = local_servers.up(root, durable=False)
    pipeline: Pipeline | None = None
    try:
        settings = settings_for(state)
        asyncio.run(create_kernel_database(settings))
        env = pipeline_env({**state.env(), "REDCELL_ENV": "test", "REDCELL_LOG_JSON": "true"})
        pipeline = Pipeline(env=env, log_dir=root / "logs")
        pipeline.log_dir.mkdir()
        pipeline.start("relay")
        pipeline.start("worker")
        result = asyncio.run(measure(settings, pipeline, args.rate, args.seconds))
        result = {
            "benchmark": "outbox commit -> consumer handler start",
            "rate_per_s": args.rate,
            "duration_s": args.seconds,
            **result,
            "settings": {
                "relay_poll_interval_s": settings.relay.poll_interval_s,
                "relay_batch_size": settings.relay.batch_size,
                "worker_threads": settings.worker.threads,
                "worker_timeout_ms": settings.worker.worker_timeout_ms,
            },
            "host": {
                "python": platform.python_version(),
                "machine": platform.machine(),
                "cpus": len(os.sched_getaffinity(0)),
            },
        }
        json.dump(result, sys.stdout, indent=2)
        print()
    finally:
        if pipeline is not None:
            pipeline.stop_all()
        local_servers.down(root, remove=True)


if __name__ == "__main__":
    main()
