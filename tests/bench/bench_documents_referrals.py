"""Referral notices rendered from dispatch's events (issue 14, EVT-03): goal p99 ≤ 2 s from event to stored PDF.

    .venv/bin/python -m tests.bench.bench_documents_referrals [--quick] [--write docs/benchmarks.md]

Starts its own servers (PostgreSQL, Redis, S3), migrates documents' database and seeds one district's registry and
templates. A real ``redcell worker documents`` is started, warmed up by one notice of another district (its first
render, store and text extraction load the font and the segmenter's dictionary: start-up, not a notice's latency)
and left to become idle; then ``ReferralIssued`` envelopes are sent to the documents queue exactly as dispatch's
relay sends them, at a steady rate (a busy district issues a few notices a minute: this is many times that), and a
tenth of them a second time under a new envelope id (the source key files nothing new). Each notice's latency runs
from its send to the moment its PDF was stored and its version recorded (the version's ``stored_at``, the worker's
clock on this same machine).

Figures only: the goal is printed beside them, never asserted. Not collected by pytest, not in ``tests/bench/run.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dramatiq
import msgspec
import psutil
from sqlalchemy import text

from deploy import local_servers
from services.documents.app import MIGRATIONS
from services.documents.generated.defaults import seed_templates
from services.documents.types.catalogue import seed_registry
from shared.context import tenant_scope
from shared.contracts.base import Envelope, payload_of
from shared.contracts.dispatch import ReferralIssued
from shared.contracts.routing import EVENTS_ACTOR, events_queue
from shared.db.engine import make_engine, make_sessionmaker
from shared.messaging.broker import make_broker
from shared.settings import Settings
from tests.bench.bench_training_points import idle
from tests.bench.cli import run_section
from tests.bench.report import replace_section
from tests.platform.plugin import prepare_database, settings_for
from tests.platform.processes import RunningProcess

SECTION = "## Documents: referral notices rendered from dispatch's events"
GOAL_P99_S = 2.0
RATE_PER_S = 10  # notices sent a second


async def district(settings: Settings) -> uuid.UUID:
    tenant = uuid.uuid4()
    engine = make_engine(settings, "documents", "app", pool_size=1)
    try:
        with tenant_scope(tenant):
            async with make_sessionmaker(engine)() as session, session.begin():
                await seed_registry(session)
                await seed_templates(session)
    finally:
        await engine.dispose()
    return tenant


def envelope(tenant: uuid.UUID, i: int) -> dict[str, Any]:
    event = ReferralIssued(
        tenant_id=tenant,
        ticket_id=uuid.uuid4(),
        referral_id=uuid.uuid4(),
        number=f"抄告〔2026〕{i + 1}号",
        due_on=date(2026, 12, 20) + timedelta(days=i % 10),
        ticket_number=f"20261206-{i + 1:04d}",
        ticket_title=f"压测案件：瑶溪小区第{i % 50 + 1}幢楼道灯损坏，居民多次反映未解决",
        meeting="瑶溪街道督办会",
        responsible_unit=f"城市管理执法第{i % 7 + 1}中队",
        responsible_person=f"压测责任人{i % 30}",
        issued_on=date(2026, 12, 6),
    )
    raw = Envelope(
        id=uuid.uuid4(),
        event=event.NAME,
        version=event.VERSION,
        tenant_id=tenant,
        occurred_at=datetime.now(UTC),
        payload=payload_of(event),
    )
    built: dict[str, Any] = msgspec.to_builtins(raw)
    return built


def send(settings: Settings, tenant: uuid.UUID, envelopes: list[dict[str, Any]]) -> dict[str, datetime]:
    """Send at ``RATE_PER_S``; when each referral was sent, by referral id (a replay keeps the first time)."""
    broker = make_broker(settings)
    sent: dict[str, datetime] = {}
    started = time.monotonic()
    try:
        for i, raw in enumerate(envelopes):
            time.sleep(max(0.0, started + i / RATE_PER_S - time.monotonic()))
            sent.setdefault(raw["payload"]["referral_id"], datetime.now(UTC))
            message: dramatiq.Message[Any] = dramatiq.Message(
                queue_name=events_queue("documents"),
                actor_name=EVENTS_ACTOR,
                args=(raw,),
                kwargs={},
                options={"tenant_id": str(tenant)},
            )
            broker.enqueue(message)
    finally:
        broker.close()
    return sent


async def stored(settings: Settings, tenant: uuid.UUID) -> dict[str, Any]:
    """Each filed notice's referral id and when its PDF was stored; objects counted by their versions."""
    engine = make_engine(settings, "documents", "system", pool_size=1)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT d.subject_id::text AS referral, v.stored_at, v.size_bytes FROM document d "
                    "JOIN document_version v ON v.document_id = d.id "
                    "WHERE d.tenant_id = :t AND d.type_code = 'referral_notice'"
                ),
                {"t": tenant},
            )
            found = list(rows)
            taken = await conn.execute(
                text(
                    "SELECT message_id, processed_at FROM inbox_message WHERE tenant_id = :t "
                    "AND consumer = 'documents' AND event = 'dispatch.ReferralIssued'"
                ),
                {"t": tenant},
            )
            began = {row.message_id: row.processed_at for row in taken}
    finally:
        await engine.dispose()
    return {
        "stored_at": {row.referral: row.stored_at for row in found},
        "bytes": [row.size_bytes for row in found],
        "versions": len(found),
        "began": began,  # by envelope id: when the worker's transaction for it began
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(settings: Settings, env: dict[str, str], root: Path, n: int) -> dict[str, Any]:
    tenant = asyncio.run(district(settings))
    envelopes = [envelope(tenant, i) for i in range(n)]
    replays = [{**raw, "id": str(uuid.uuid4())} for raw in envelopes[5::10]]
    schedule = [*envelopes[: n // 2], *replays, *envelopes[n // 2 :]]
    worker = RunningProcess(
        name="worker-documents",
        argv=[sys.executable, "-m", "shared.cli", "worker", "documents"],
        env={**os.environ, **env},
        log_path=root / "worker-documents.log",
    )
    worker.start()
    assert worker.proc is not None
    process = psutil.Process(worker.proc.pid)

    def wait_for(district_id: uuid.UUID, count: int) -> dict[str, Any]:
        deadline = time.monotonic() + 300
        found = asyncio.run(stored(settings, district_id))
        while len(found["stored_at"]) < count and time.monotonic() < deadline:
            if worker.proc is not None and worker.proc.poll() is not None:
                raise RuntimeError(f"the worker exited:\n{worker.log_tail()}")
            time.sleep(0.5)
            found = asyncio.run(stored(settings, district_id))
        return found

    try:
        idle(process)
        # one notice in another district first: the worker's first render, store and text extraction load what
        # they need (the font, the segmenter's dictionary), which is start-up, not a notice's latency
        warm = asyncio.run(district(settings))
        send(settings, warm, [envelope(warm, 0)])
        wait_for(warm, 1)
        cpu_before = idle(process)
        load = os.getloadavg()[0]
        sent = send(settings, tenant, schedule)
        wait_for(tenant, n)
        time.sleep(2)  # the replays are taken after their originals: let them finish
        state = asyncio.run(stored(settings, tenant))
        cpu = sum(process.cpu_times()[:2]) - cpu_before
    finally:
        worker.stop()
    done = state["stored_at"]
    latencies = [(done[ref] - sent[ref]).total_seconds() for ref in sent if ref in done]
    # where the time went: waiting in the queue until the worker took the referral, then handling it
    first_taken: dict[str, datetime] = {}
    for raw in schedule:
        began = state["began"].get(raw["id"])
        ref = raw["payload"]["referral_id"]
        if began is not None and (ref not in first_taken or began < first_taken[ref]):
            first_taken[ref] = began
    waiting = [(first_taken[ref] - sent[ref]).total_seconds() for ref in first_taken]
    handling = [(done[ref] - first_taken[ref]).total_seconds() for ref in first_taken if ref in done]
    return {
        "referrals": n,
        "replayed_new_envelope": len(replays),
        "rate_per_s": RATE_PER_S,
        "load_average_before": round(load, 2),
        "filed": len(state["stored_at"]),
        "versions": state["versions"],
        "filed_once_each": state["versions"] == len(state["stored_at"]) == n,
        "p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "p99_s": round(percentile(latencies, 0.99), 3) if latencies else None,
        "max_s": round(max(latencies), 3) if latencies else None,
        "over_goal": sum(1 for latency in latencies if latency > GOAL_P99_S),
        "queue_wait_p50_s": round(statistics.median(waiting), 3) if waiting else None,
        "queue_wait_p99_s": round(percentile(waiting, 0.99), 3) if waiting else None,
        "handling_p50_s": round(statistics.median(handling), 3) if handling else None,
        "handling_p99_s": round(percentile(handling, 0.99), 3) if handling else None,
        "pdf_kib_median": round(statistics.median(state["bytes"]) / 1024, 1) if state["bytes"] else None,
        "worker_cpu_ms_per_notice": round(cpu * 1000 / max(1, len(schedule)), 1),
    }


def main_with(*, quick: bool = False, write: Path | None = None) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="redcell-bench-referrals-"))
    state = local_servers.up(root, durable=False)
    settings = settings_for(state)
    env = {**state.env(), "REDCELL_ENV": "test", "REDCELL_LOG_LEVEL": "WARNING"}
    results: dict[str, Any] = {}
    try:
        asyncio.run(prepare_database(settings, "documents", MIGRATIONS))
        results = measure(settings, env, root, 40 if quick else 400)
    finally:
        local_servers.down(root, remove=True)
    results["host"] = {"cpus": psutil.cpu_count(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    results["quick"] = quick
    print(json.dumps({"documents_referrals": results}, indent=2, ensure_ascii=False, default=str))
    if write is not None:
        replace_section(write, SECTION, render(results))
    return results


def render(r: dict[str, Any]) -> str:
    run = f"{r['host']['date']}, {r['host']['cpus']} cores" + (", quick run" if r["quick"] else "")
    return f"""{SECTION}

Measured by `tests/bench/bench_documents_referrals.py` ({run}): {r["referrals"]:,} `ReferralIssued` envelopes sent
to the documents queue as dispatch's relay sends them, {r["rate_per_s"]} a second, with {r["replayed_new_envelope"]}
replays under new envelope ids, taken by one real `redcell worker documents` (default threads), warmed up and
idle, on the same cores as PostgreSQL, Redis, the S3 server and the sender. Each notice is rendered to PDF with the
embedded CJK font, stored in S3 and recorded with its version and a `VersionStored` event. Goal: p99 ≤ {GOAL_P99_S} s
from the event's send to the stored PDF.

| notices | p50 (s) | p99 (s) | max (s) | queue wait p50 / p99 (s) | handling p50 / p99 (s) | PDF (KiB, median) \
| worker CPU per message (ms) | filed once each | load average before |
|---|---|---|---|---|---|---|---|---|---|
| {r["referrals"]:,} | {r["p50_s"]} | **{r["p99_s"]}** | {r["max_s"]} \
| {r["queue_wait_p50_s"]} / {r["queue_wait_p99_s"]} \
| {r["handling_p50_s"]} / {r["handling_p99_s"]} | {r["pdf_kib_median"]} | {r["worker_cpu_ms_per_notice"]} \
| {"yes" if r["filed_once_each"] else "**no**"} | {r["load_average_before"]} |

The queue wait runs from the send to the start of the worker's transaction (the inbox's `processed_at`), the handling
from there to the stored version; the worker also reads every stored PDF back (`VersionStored`: text extraction and
indexing) on the same queue.

Raw results:

```json
{json.dumps(r, indent=2, ensure_ascii=False, default=str)}
```
"""


if __name__ == "__main__":
    run_section(main_with)
