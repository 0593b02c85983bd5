"""Probes of the processes without an HTTP API (shared/probes.py), against the session's real servers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dramatiq
import httpx
import pytest
from dramatiq.brokers.stub import StubBroker

from deploy.local_servers import free_ports
from shared.logging import configure_logging
from shared.messaging.consumer import worker_threads_alive
from shared.messaging.relay import OutboxRelay
from shared.probes import Heartbeat, ProbeServer, ReadinessCheck, dependency_checks, serve_probes
from shared.scheduler import Job, scheduler_loop
from shared.settings import RedisSettings, RelaySettings, Settings
from tests.messaging.support import Pipeline, pipeline_env
from tests.platform.platform import redcell
from tests.platform.processes import Platform, RunningProcess


@pytest.fixture
def serve() -> Iterator[Callable[..., str]]:
    """Starts probe servers on free loopback ports; returns each one's base URL; stops them all after."""
    started: list[ProbeServer] = []

    def start(
        alive: Callable[[], bool] = lambda: True,
        readiness: dict[str, ReadinessCheck] | None = None,
        timeout_s: float = 2.0,
    ) -> str:
        server = serve_probes(0, alive=alive, readiness=readiness or {}, timeout_s=timeout_s, host="127.0.0.1")
        started.append(server)
        return f"http://127.0.0.1:{server.port}"

    yield start
    for server in started:
        server.stop()


def poll(url: str, until: Callable[[httpx.Response], bool], timeout_s: float = 5.0) -> httpx.Response:
    """GET ``url`` every 50 ms until ``until`` holds (connection errors count as not yet)."""
    deadline = time.monotonic() + timeout_s
    last: httpx.Response | None = None
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.TransportError):
            last = httpx.get(url, timeout=2)
            if until(last):
                return last
        time.sleep(0.05)
    msg = f"{url} never satisfied the condition; last answer: {last and (last.status_code, last.text)}"
    raise TimeoutError(msg)


def test_livez_answers_while_the_heartbeat_is_fresh_and_503_once_it_is_stale(serve: Callable[..., str]) -> None:
    heartbeat = Heartbeat(stale_after_s=1.0)  # long enough for one request on a busy machine
    url = serve(alive=heartbeat.alive)
    heartbeat.beat()
    fresh = httpx.get(f"{url}/livez")
    assert (fresh.status_code, fresh.json()) == (200, {"status": "ok"})
    assert fresh.headers["content-type"] == "application/json"
    stalled = poll(f"{url}/livez", lambda r: r.status_code == 503)
    assert stalled.json()["status"] == "stalled"
    heartbeat.beat()  # the loop turns again: alive again, no restart needed
    assert httpx.get(f"{url}/livez").status_code == 200


def test_readyz_checks_the_real_postgresql_and_redis(
    serve: Callable[..., str], settings: Settings, kernel_database: str
) -> None:
    url = serve(readiness=dependency_checks(settings, kernel_database, "app"))
    response = httpx.get(f"{url}/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"  # the same shape as an API's /readyz (shared/http/health.py)
    assert set(body["checks"]) == {"database", "redis"}
    assert all(check["ok"] and check["ms"] >= 0 for check in body["checks"].values())


def test_readyz_names_the_dependency_that_is_down(
    serve: Callable[..., str], settings: Settings, kernel_database: str
) -> None:
    closed_port = free_ports(1)[0]
    no_redis = settings.model_copy(update={"redis": RedisSettings(url=f"redis://127.0.0.1:{closed_port}/0")})
    url = serve(readiness=dependency_checks(no_redis, kernel_database, "app"), timeout_s=1.0)
    started = time.monotonic()
    response = httpx.get(f"{url}/readyz")
    assert time.monotonic() - started < 2.0
    body = response.json()
    assert response.status_code == 503, body
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["redis"]["error"]  # the exception's type only: no hosts or users in a probe answer
    assert body["checks"]["database"]["ok"] is True


def test_a_check_that_hangs_times_out_instead_of_hanging_the_probe(serve: Callable[..., str]) -> None:
    async def hangs() -> None:
        await asyncio.sleep(30)

    async def fine() -> None:
        return None

    url = serve(readiness={"slow": hangs, "fast": fine}, timeout_s=0.2)
    started = time.monotonic()
    response = httpx.get(f"{url}/readyz")
    assert time.monotonic() - started < 2.0
    assert response.status_code == 503
    assert response.json()["checks"]["slow"] == {"ok": False, "error": "timed out after 0.2 s"}
    assert response.json()["checks"]["fast"]["ok"] is True


def test_metrics_exposes_the_default_registry_and_other_paths_are_404(serve: Callable[..., str]) -> None:
    url = serve()
    metrics = httpx.get(f"{url}/metrics")
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    assert "# TYPE python_info gauge" in metrics.text
    assert httpx.get(f"{url}/livez?verbose=1").status_code == 200  # a query string does not change the path
    for path in ("/", "/livez/", "/readyz/x", "/health"):
        assert httpx.get(f"{url}{path}").status_code == 404, path
    assert httpx.post(f"{url}/livez").status_code == 501  # GET only


def test_stopping_the_server_frees_its_port() -> None:
    server = serve_probes(0, alive=lambda: True, readiness={}, host="127.0.0.1")
    url = f"http://127.0.0.1:{server.port}/livez"
    assert httpx.get(url).status_code == 200
    server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=1)


async def test_the_relay_beats_its_heartbeat_while_idle(settings: Settings, kernel_database: str) -> None:
    fast = settings.model_copy(update={"relay": RelaySettings(poll_interval_s=0.05)})
    heartbeat = Heartbeat(stale_after_s=0.5)
    relay = OutboxRelay(fast, kernel_database, routes=lambda _event: [], heartbeat=heartbeat)
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        await asyncio.sleep(0.3)
        for _ in range(10):  # idle (nothing to publish) for well over the threshold, yet alive throughout
            await asyncio.sleep(0.1)
            assert heartbeat.age_s() < 0.3, heartbeat.age_s()
        assert not task.done()
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)
        relay.close()


async def test_the_scheduler_beats_its_heartbeat_each_tick(settings: Settings) -> None:
    heartbeat = Heartbeat(stale_after_s=0.5)
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler_loop([], settings, stop, tick_s=0.05, heartbeat=heartbeat))
    try:
        for _ in range(10):
            await asyncio.sleep(0.1)
            assert heartbeat.age_s() < 0.2, heartbeat.age_s()
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)


async def test_the_scheduler_outlives_redis_being_away_and_runs_its_jobs_once_redis_is_back(
    settings: Settings,
) -> None:
    runs: list[float] = []

    async def job(_: Settings) -> int:
        runs.append(time.monotonic())
        return 0

    away = settings.model_copy(update={"redis": RedisSettings(url=f"redis://127.0.0.1:{free_ports(1)[0]}/0")})
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler_loop([Job("probe.job", 0.05, job)], away, stop, tick_s=0.05))
    await asyncio.sleep(0.5)
    assert not task.done(), task  # a refused connection to Redis must not end the loop
    assert runs == []  # no lock, no run: another replica may hold it
    stop.set()
    await asyncio.wait_for(task, 5)
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler_loop([Job("probe.job", 0.05, job)], settings, stop, tick_s=0.05))
    await asyncio.sleep(0.5)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert runs


def test_a_worker_is_alive_while_all_its_dramatiq_threads_run() -> None:
    broker = StubBroker()
    broker.declare_queue("probes")
    worker = dramatiq.Worker(broker, worker_timeout=50, worker_threads=2)
    assert not worker_threads_alive(worker)  # not started yet
    worker.start()
    try:
        assert worker_threads_alive(worker)
        assert set(worker.consumers) >= {"probes"}
        dead = worker.workers[0]
        dead.stop()
        dead.join(timeout=5)
        assert not worker_threads_alive(worker)  # one dead thread is enough: only a restart brings it back
    finally:
        worker.stop(timeout=5_000)
        broker.close()


def _wait_for_exit(process: RunningProcess, timeout_s: float = 15) -> int:
    assert process.proc is not None
    return process.proc.wait(timeout=timeout_s)


def _assert_probes(url: str, process: RunningProcess, database: bool) -> dict[str, Any]:
    Platform.wait_ready(url, process, timeout_s=60)  # polls /readyz until 200, failing fast if the process exits
    assert httpx.get(f"{url}/livez").json() == {"status": "ok"}
    ready: dict[str, Any] = httpx.get(f"{url}/readyz").json()
    assert set(ready["checks"]) == ({"database", "redis"} if database else {"redis"})
    assert httpx.get(f"{url}/metrics").status_code == 200
    return ready


def test_redcell_relay_answers_probes_on_its_probe_port(server_env: dict[str, str], tmp_path: Path) -> None:
    running = Platform(base_env=server_env, log_dir=tmp_path)
    redcell(running.env(), "migrate", "orgtree", "--bootstrap")
    port = free_ports(1)[0]
    relay = running.add("relay-orgtree", "relay", "orgtree", env={"REDCELL_PROBE_PORT": str(port)})
    try:
        _assert_probes(f"http://127.0.0.1:{port}", relay, database=True)
        relay.stop()  # SIGTERM: the relay finishes and the probe server goes with it
        assert _wait_for_exit(relay) == 0, relay.log_tail()
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{port}/livez", timeout=1)
    finally:
        running.stop_all()


def test_a_worker_answers_probes_while_its_dramatiq_threads_run(
    server_env: dict[str, str], kernel_database: str, tmp_path: Path
) -> None:
    pipeline = Pipeline(env=pipeline_env(server_env), log_dir=tmp_path)
    port = free_ports(1)[0]
    worker = pipeline.start("worker", REDCELL_PROBE_PORT=str(port))
    try:
        _assert_probes(f"http://127.0.0.1:{port}", worker, database=True)  # the consumer's database
        worker.stop()
        assert _wait_for_exit(worker) == 0, worker.log_tail()
    finally:
        pipeline.stop_all()


def test_redcell_scheduler_answers_probes_on_its_probe_port(server_env: dict[str, str], tmp_path: Path) -> None:
    running = Platform(base_env=server_env, log_dir=tmp_path)
    port = free_ports(1)[0]
    scheduler = running.add("scheduler", "scheduler", env={"REDCELL_PROBE_PORT": str(port)})
    try:
        _assert_probes(f"http://127.0.0.1:{port}", scheduler, database=False)  # Redis only: see run_scheduler
        scheduler.stop()
        assert _wait_for_exit(scheduler) == 0, scheduler.log_tail()
    finally:
        running.stop_all()


async def test_a_sweep_that_found_nothing_logs_at_debug_and_one_that_worked_at_info(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging("scheduler-test", json=True, level="DEBUG")  # as `redcell scheduler` does; it resets handlers
    logging.getLogger().addHandler(caplog.handler)

    async def idle(_: Settings) -> int:
        return 0

    async def busy(_: Settings) -> int:
        return 3

    jobs = [Job(f"probe.idle.{uuid.uuid4().hex[:6]}", 60, idle), Job(f"probe.busy.{uuid.uuid4().hex[:6]}", 60, busy)]
    stop = asyncio.Event()
    try:
        task = asyncio.create_task(scheduler_loop(jobs, settings, stop, tick_s=0.05))
        await asyncio.sleep(0.5)
        stop.set()
        await asyncio.wait_for(task, 5)
    finally:
        logging.getLogger().removeHandler(caplog.handler)
    ran = {
        r.msg["job"]: r.levelno
        for r in caplog.records
        if isinstance(r.msg, dict) and r.msg.get("event") == "scheduled job ran"
    }
    assert ran == {jobs[0].name: logging.DEBUG, jobs[1].name: logging.INFO}
