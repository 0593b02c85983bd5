"""Kubernetes probes for the processes without an HTTP API: worker, relay and scheduler.

A small stdlib HTTP server on a daemon thread answers ``/livez`` (is the main loop still turning),
``/readyz`` (are PostgreSQL and Redis reachable, same JSON as an API's ``/readyz``) and ``/metrics``
(the default Prometheus registry). It runs beside the main loop, so a wedged loop cannot stop it from
answering: liveness comes from a ``Heartbeat`` the loop beats, or any ``alive()`` callable.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import asyncpg
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from redis.asyncio import Redis

from shared.db.cells import cell_dsns, cells_holding
from shared.http.readiness import ReadinessCheck, run_checks
from shared.logging import get_logger
from shared.settings import MAIN_CELL, DbRole, Settings

log = get_logger(__name__)


class Heartbeat:
    """Beaten by a main loop; stale once ``stale_after_s`` pass without a beat."""

    def __init__(self, stale_after_s: float = 60.0) -> None:
        self.stale_after_s = stale_after_s
        self._last = time.monotonic()  # a float store is atomic: no lock between loop and probe thread

    def beat(self) -> None:
        self._last = time.monotonic()

    def age_s(self) -> float:
        return time.monotonic() - self._last

    def alive(self) -> bool:
        return self.age_s() <= self.stale_after_s


def _select_one(dsn: str, timeout: float) -> ReadinessCheck:
    async def database() -> None:
        conn = await asyncpg.connect(dsn, timeout=timeout)
        try:
            await conn.fetchval("SELECT 1")
        finally:
            await conn.close(timeout=timeout)

    return database


def dependency_checks(settings: Settings, service: str | None, role: DbRole = "app") -> dict[str, ReadinessCheck]:
    """``database`` (``SELECT 1`` as ``role`` on ``service``'s database; none if ``service`` is None) and
    ``redis`` (``PING``). Each opens its own short-lived connection: the probe never touches the main
    loop's connections or event loop."""
    timeout = settings.readiness_timeout_s
    checks: dict[str, ReadinessCheck] = {}
    if service is not None:
        # one check per database cell holding the service's rows: ``database`` on main, ``database:<cell>`` beside
        for cell, dsn in zip(cells_holding(settings, service), cell_dsns(settings, service, role), strict=True):
            checks["database" if cell == MAIN_CELL else f"database:{cell}"] = _select_one(dsn, timeout)

    async def redis() -> None:
        client = Redis.from_url(settings.redis.url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            await client.ping()
        finally:
            await client.aclose()

    checks["redis"] = redis
    return checks


class ProbeServer(ThreadingHTTPServer):
    daemon_threads = True  # a hung /readyz must never keep the process from exiting

    def __init__(
        self,
        address: tuple[str, int],
        *,
        alive: Callable[[], bool],
        readiness: Mapping[str, ReadinessCheck],
        timeout_s: float,
    ) -> None:
        super().__init__(address, _ProbeHandler)
        self.alive = alive
        self.readiness = dict(readiness)
        self.timeout_s = timeout_s
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start(self) -> ProbeServer:
        self._thread.name = f"probes-{self.port}"
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)


class _ProbeHandler(BaseHTTPRequestHandler):
    server: ProbeServer
    timeout = 10  # seconds a client may take to send its request

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/livez":
            if self.server.alive():
                self._json(200, {"status": "ok"})
            else:
                log.warning("liveness probe failed: the main loop has stalled")
                self._json(503, {"status": "stalled"})
        elif path == "/readyz":
            # A loop of its own per request: the probe shares nothing with the process's event loop.
            ready, results = asyncio.run(run_checks(self.server.readiness, self.server.timeout_s))
            status = "ok" if ready else "unavailable"
            self._json(200 if ready else 503, {"status": status, "checks": results})
        elif path == "/metrics":
            self._send(200, CONTENT_TYPE_LATEST, generate_latest(REGISTRY))
        else:
            self._json(404, {"status": "not found"})

    def _json(self, status: int, body: dict[str, Any]) -> None:
        self._send(status, "application/json", json.dumps(body, separators=(",", ":")).encode())

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the kubelet probes every few seconds; failures are logged where they are found."""


def serve_probes(
    port: int,
    *,
    alive: Callable[[], bool],
    readiness: Mapping[str, ReadinessCheck],
    timeout_s: float = 2.0,
    host: str = "0.0.0.0",  # noqa: S104 - the kubelet probes the pod's address
) -> ProbeServer:
    """Start answering probes on ``host:port`` (0: any free port, see ``.port``); ``.stop()`` ends it."""
    return ProbeServer((host, port), alive=alive, readiness=readiness, timeout_s=timeout_s).start()


def start_probes(
    settings: Settings, *, alive: Callable[[], bool], readiness: Mapping[str, ReadinessCheck]
) -> ProbeServer | None:
    """The process's probe server on ``settings.probe_port``, or None when that is 0 (development)."""
    if not settings.probe_port:
        return None
    server = serve_probes(settings.probe_port, alive=alive, readiness=readiness, timeout_s=settings.readiness_timeout_s)
    log.info("probes listening", port=server.port, paths=["/livez", "/readyz", "/metrics"])
    return server
