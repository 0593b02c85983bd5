"""Nothing lost, nothing done twice: provisioning events survive Redis outages and kill -9 of relay and worker.

The effect measured is the real one: each provisioned district gets exactly one orgtree root and one
inbox row, however many times its event was delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from deploy import local_servers
from gateway.tenants.services import provision_tenant
from shared.db.engine import make_engine, make_sessionmaker
from shared.db.urls import admin_url, plain_dsn
from shared.settings import Settings
from tests.e2e.conftest import RunningPlatform
from tests.platform.processes import Platform

pytestmark = pytest.mark.slow


async def _provision(settings: Settings, count: int) -> list[uuid.UUID]:
    engine = make_engine(settings, "gateway", "system", pool_size=4)
    ids = []
    try:
        for _ in range(count):
            async with make_sessionmaker(engine)() as session, session.begin():
                tenant, _ = await provision_tenant(session, f"d-{uuid.uuid4().hex[:12]}", "测试区")
                ids.append(tenant.id)
    finally:
        await engine.dispose()
    return ids


def provision(settings: Settings, count: int) -> list[uuid.UUID]:
    return asyncio.run(_provision(settings, count))


async def _effects(settings: Settings, ids: list[uuid.UUID]) -> tuple[dict[uuid.UUID, int], int]:
    conn = await asyncpg.connect(plain_dsn(admin_url(settings, "redcell_orgtree")))
    try:
        rows = await conn.fetch(
            "SELECT tenant_id, count(*) AS n FROM org_node WHERE parent_id IS NULL AND tree = 'administrative' "
            "AND tenant_id = ANY($1::uuid[]) "
            "GROUP BY tenant_id",
            ids,
        )
        inbox = await conn.fetchval("SELECT count(*) FROM inbox_message WHERE tenant_id = ANY($1::uuid[])", ids)
        return {r["tenant_id"]: r["n"] for r in rows}, int(inbox)
    finally:
        await conn.close()


def wait_for_effects(settings: Settings, ids: list[uuid.UUID], timeout_s: float = 90) -> dict[uuid.UUID, int]:
    deadline = time.monotonic() + timeout_s
    roots: dict[uuid.UUID, int] = {}
    while time.monotonic() < deadline:
        roots, _ = asyncio.run(_effects(settings, ids))
        if len(roots) == len(ids):
            break
        time.sleep(0.3)
    return roots


def assert_exactly_once(settings: Settings, ids: list[uuid.UUID]) -> None:
    roots = wait_for_effects(settings, ids)
    assert len(roots) == len(ids), f"{len(ids) - len(roots)} districts never got their root"
    assert set(roots.values()) == {1}, "some district got more than one root"
    time.sleep(1)  # late duplicates would show up now
    roots, inbox = asyncio.run(_effects(settings, ids))
    assert set(roots.values()) == {1}
    assert inbox == len(ids)


@dataclass
class OwnRedis:
    port: int
    root: Path
    pid: int

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)

    def restart(self) -> None:
        self.pid = local_servers.start_redis(self.root, self.port, durable=True)


@pytest.fixture
def own_redis(platform: RunningPlatform) -> Iterator[OwnRedis]:
    """A Redis of this test's own, so it can be killed without disturbing the rest of the session."""
    root = Path(tempfile.mkdtemp(prefix="redcell-redis-"))
    port = local_servers.free_ports(1)[0]
    redis = OwnRedis(port, root, local_servers.start_redis(root, port, durable=True))
    yield redis
    with contextlib.suppress(ProcessLookupError, ChildProcessError):
        redis.kill()
    shutil.rmtree(root, ignore_errors=True)


def pipeline(platform: RunningPlatform, redis_port: int, name: str) -> Platform:
    # on main alone: the cells' registry is mirrored to the session's Redis, which these processes do not read
    base = {k: v for k, v in platform.platform.base_env.items() if not k.startswith("REDCELL_CELLS__")}
    env = {**base, "REDCELL_REDIS__URL": f"redis://127.0.0.1:{redis_port}/0"}
    return Platform(base_env=env, log_dir=platform.platform.log_dir / name)


def test_event_committed_while_redis_is_down_is_delivered_once_it_is_back(
    platform: RunningPlatform, settings: Settings, own_redis: OwnRedis
) -> None:
    procs = pipeline(platform, own_redis.port, "redis-down")
    procs.log_dir.mkdir(parents=True, exist_ok=True)
    try:
        # stop the session's own relay from publishing these rows: use a separate pair of processes and Redis
        platform.platform.processes["relay-gateway"].stop()
        procs.add("relay-gateway", "relay", "gateway")
        procs.add("worker-orgtree", "worker", "orgtree")
        time.sleep(1)
        own_redis.kill()
        ids = provision(settings, 5)  # committed in PostgreSQL while Redis is dead
        time.sleep(2)
        roots, _ = asyncio.run(_effects(settings, ids))
        assert roots == {}
        own_redis.restart()
        assert_exactly_once(settings, ids)
    finally:
        procs.stop_all()
        platform.platform.processes["relay-gateway"].start()


def test_kill_9_of_relay_and_worker_mid_flight_loses_nothing_and_duplicates_nothing(
    platform: RunningPlatform, settings: Settings, own_redis: OwnRedis
) -> None:
    procs = pipeline(platform, own_redis.port, "kill-9")
    procs.log_dir.mkdir(parents=True, exist_ok=True)
    platform.platform.processes["relay-gateway"].stop()
    try:
        ids = provision(settings, 500)  # a backlog, so both processes die with work in flight
        relay = procs.add("relay-gateway", "relay", "gateway")
        worker = procs.add("worker-orgtree", "worker", "orgtree")
        deadline = time.monotonic() + 60
        while not asyncio.run(_effects(settings, ids))[0]:  # kill as soon as the first effects land
            assert time.monotonic() < deadline, worker.log_tail()
            time.sleep(0.05)
        relay.kill(signal.SIGKILL)
        worker.kill(signal.SIGKILL)
        done_before_restart = len(asyncio.run(_effects(settings, ids))[0])
        assert done_before_restart < len(ids), "the kill came too late to test anything"
        procs.add("relay-gateway", "relay", "gateway")
        procs.add("worker-orgtree", "worker", "orgtree")
        assert_exactly_once(settings, ids)
    finally:
        procs.stop_all()
        platform.platform.processes["relay-gateway"].start()
