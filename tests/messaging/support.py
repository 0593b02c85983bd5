"""Helpers for the messaging tests and the outbox benchmark: probes in, effects out, real processes."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import signal
import sys
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import redis
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from deploy import local_servers
from shared.context import tenant_scope
from shared.contracts.routing import SYNC_LANE, events_queue, lane_queue
from shared.db.bootstrap import ensure_service_database
from shared.db.engine import make_sessionmaker
from shared.db.kernel import audit_event, inbox_message, outbox_message
from shared.db.migrations import create_kernel_tables
from shared.db.urls import database_url
from shared.messaging.outbox import publish
from shared.settings import Settings
from tests.messaging.consumer_app import EFFECT
from tests.messaging.probe import SERVICE, ProbeHappened, SyncProbe
from tests.platform.processes import RunningProcess

T = TypeVar("T")
REPO_ROOT = Path(__file__).resolve().parents[2]
QUEUE = events_queue(SERVICE)
SYNC_QUEUE = lane_queue(SERVICE, SYNC_LANE)


# --- producing ----------------------------------------------------------------------------------


async def publish_probes(
    engine: AsyncEngine,
    tenant: uuid.UUID,
    count: int,
    *,
    per_transaction: int | None = None,
    request_id: str | None = None,
    kind: type[ProbeHappened | SyncProbe] = ProbeHappened,
    **fields: Any,
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Commit ``count`` probes (``kind``) for ``tenant`` (app role); returns (probe ids, outbox ids)."""
    probes: list[uuid.UUID] = []
    outbox: list[uuid.UUID] = []
    chunk = per_transaction or count
    sessions = make_sessionmaker(engine)
    with tenant_scope(tenant):
        for start in range(0, count, chunk):
            async with sessions() as session, session.begin():
                for _ in range(min(chunk, count - start)):
                    probe = uuid.uuid4()
                    event = kind(tenant_id=tenant, probe_id=probe, **fields)
                    outbox.append(await publish(session, event, request_id=request_id))
                    probes.append(probe)
    return probes, outbox


# --- observing ----------------------------------------------------------------------------------


async def effects(system_engine: AsyncEngine, probes: Sequence[uuid.UUID]) -> Counter[str]:
    """How many times each probe's effect was committed (system role: every tenant)."""
    query = (
        select(audit_event.c.subject_id, func.count())
        .where(audit_event.c.action == EFFECT, audit_event.c.subject_id.in_([str(p) for p in probes]))
        .group_by(audit_event.c.subject_id)
    )
    async with system_engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    return Counter({str(subject): int(n) for subject, n in rows})


async def effect_rows(system_engine: AsyncEngine, probes: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    query = select(audit_event).where(
        audit_event.c.action == EFFECT, audit_event.c.subject_id.in_([str(p) for p in probes])
    )
    async with system_engine.connect() as conn:
        return [dict(row._mapping) for row in (await conn.execute(query)).all()]


async def inbox_count(system_engine: AsyncEngine, outbox_ids: Sequence[uuid.UUID]) -> int:
    query = select(func.count()).where(
        inbox_message.c.consumer == SERVICE, inbox_message.c.message_id.in_([str(i) for i in outbox_ids])
    )
    async with system_engine.connect() as conn:
        return int((await conn.execute(query)).scalar_one())


async def outbox_rows(system_engine: AsyncEngine, outbox_ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    query = select(outbox_message).where(outbox_message.c.id.in_(outbox_ids))
    async with system_engine.connect() as conn:
        return [dict(row._mapping) for row in (await conn.execute(query)).all()]


async def unpublished(system_engine: AsyncEngine, outbox_ids: Sequence[uuid.UUID]) -> int:
    return sum(1 for row in await outbox_rows(system_engine, outbox_ids) if row["published_at"] is None)


def queue_is_drained(redis_url: str) -> bool:
    """Every message of the kerneltest lanes (and their retry queues) has been acknowledged.

    dramatiq keeps a message's body in ``<queue>.msgs`` until its ack, including while a (possibly
    dead) worker holds it, so an empty hash means nothing is queued, in flight or awaiting retry.
    """
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)
    try:
        queues = (QUEUE, f"{QUEUE}.DQ", SYNC_QUEUE, f"{SYNC_QUEUE}.DQ")
        return sum(int(client.hlen(f"dramatiq:{q}.msgs")) for q in queues) == 0
    except redis.ConnectionError:
        return False
    finally:
        client.close()


def held_by_workers(redis_url: str) -> int:
    """Messages of the kerneltest queue fetched by some worker and not yet acknowledged."""
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)
    try:
        return sum(int(client.scard(key)) for key in client.scan_iter(f"dramatiq:__acks__.*.{QUEUE}"))
    finally:
        client.close()


async def wait_until(
    check: Callable[[], Awaitable[T]], what: str, *, timeout_s: float = 60, pipeline: Pipeline | None = None
) -> T:
    """Poll ``check`` until it returns something truthy; fail with the processes' logs after the deadline."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = await check()
        if value:
            return value
        if pipeline is not None:
            pipeline.assert_running()
        if time.monotonic() > deadline:
            logs = pipeline.logs() if pipeline is not None else ""
            msg = f"{what}: not within {timeout_s:.0f} s\n{logs}"
            raise AssertionError(msg)
        await asyncio.sleep(0.05)


async def assert_exactly_once(
    system_engine: AsyncEngine,
    probes: Sequence[uuid.UUID],
    outbox_ids: Sequence[uuid.UUID],
    redis_url: str,
    pipeline: Pipeline,
    *,
    timeout_s: float = 90,
) -> None:
    """Every probe's effect landed, and once everything in Redis is acknowledged, still exactly once."""

    async def all_landed() -> bool:
        return len(await effects(system_engine, probes)) == len(probes)

    async def settled() -> bool:
        return await unpublished(system_engine, outbox_ids) == 0 and queue_is_drained(redis_url)

    await wait_until(all_landed, f"effects of {len(probes)} probes", timeout_s=timeout_s, pipeline=pipeline)
    await wait_until(settled, "outbox published and queue drained", timeout_s=timeout_s, pipeline=pipeline)
    counts = await effects(system_engine, probes)
    assert len(counts) == len(probes)
    duplicated = {probe: n for probe, n in counts.items() if n != 1}
    assert duplicated == {}, f"effects applied more than once: {duplicated}"
    assert await inbox_count(system_engine, outbox_ids) == len(outbox_ids)


# --- processes ----------------------------------------------------------------------------------


@dataclass
class Pipeline:
    """Relay and worker processes of the kerneltest service, as ``redcell relay|worker`` would run them."""

    env: dict[str, str]
    log_dir: Path
    processes: list[RunningProcess] = field(default_factory=list)
    dead: list[RunningProcess] = field(default_factory=list)
    _numbers: itertools.count[int] = field(default_factory=itertools.count)

    def start(self, role: str, *args: str, **env: str) -> RunningProcess:
        name = f"{role}-{next(self._numbers)}"
        process = RunningProcess(
            name=name,
            argv=[sys.executable, "-m", "tests.messaging.main", role, *args],
            env={**os.environ, **self.env, **env, "PYTHONPATH": str(REPO_ROOT)},
            log_path=self.log_dir / f"{name}.log",
        )
        process.start()
        self.processes.append(process)
        return process

    def kill9(self, process: RunningProcess) -> None:
        process.kill(signal.SIGKILL)
        self.processes.remove(process)
        self.dead.append(process)

    def assert_running(self) -> None:
        for process in self.processes:
            assert process.proc is not None
            if process.proc.poll() is not None:
                msg = f"{process.name} exited with {process.proc.returncode}:\n{process.log_tail()}"
                raise AssertionError(msg)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.log_tail(30)}" for p in [*self.dead, *self.processes])

    def log_events(self, process: RunningProcess) -> list[dict[str, Any]]:
        """The JSON log lines a process wrote (foreign lines, e.g. from dramatiq's setup, skipped)."""
        entries = []
        for line in process.log_path.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                entry = json.loads(line)
                if isinstance(entry, dict):
                    entries.append(entry)
        return entries

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop()  # SIGTERM, then SIGKILL after 15 s


def pipeline_env(server_env: dict[str, str], redis_url: str | None = None, **extra: str) -> dict[str, str]:
    env = {
        **server_env,
        "REDCELL_LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",  # tests read the processes' logs while they run
        # a killed worker's unacknowledged messages come back within seconds, not 15 s
        "REDCELL_WORKER__HEARTBEAT_TIMEOUT_MS": "2000",
        **extra,
    }
    if redis_url is not None:
        env["REDCELL_REDIS__URL"] = redis_url
    return env


# --- servers ------------------------------------------------------------------------------------


@dataclass
class OwnRedis:
    """A Redis of one test's own, which it may kill and restart on the same port."""

    root: Path
    port: int
    pid: int = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.pid = local_servers.start_redis(self.root, self.port, durable=False)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _create_kernel(sync_conn: Any, service: str) -> None:
    with Operations.context(MigrationContext.configure(sync_conn)):
        create_kernel_tables(service)


async def create_kernel_database(settings: Settings, service: str = SERVICE) -> None:
    """As the plugin's ``kernel_database`` fixture: a database with only the kernel tables (benchmark)."""
    await ensure_service_database(settings, service)
    owner = create_async_engine(database_url(settings, service, "owner"))
    try:
        async with owner.begin() as conn:
            await conn.run_sync(_create_kernel, service)
    finally:
        await owner.dispose()
