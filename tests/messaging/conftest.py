"""Fixtures of the messaging tests: the kernel test database, its consumer, and real processes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from deploy import local_servers
from shared.messaging.consumer import EventConsumer
from shared.settings import Settings
from tests.messaging.consumer_app import build_consumer
from tests.messaging.support import OwnRedis, Pipeline, pipeline_env


@pytest.fixture
async def consumer(settings: Settings, kernel_database: str) -> AsyncIterator[EventConsumer]:
    """The kerneltest consumer in this process, on the session's servers."""
    built = build_consumer(settings)
    yield built
    await built.dispose()


@pytest.fixture
def pipeline(server_env: dict[str, str], kernel_database: str, tmp_path: Path) -> Iterator[Pipeline]:
    """Relay and worker subprocesses on the session's servers; every one is stopped after the test."""
    running = Pipeline(env=pipeline_env(server_env), log_dir=tmp_path)
    try:
        yield running
    finally:
        running.stop_all()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    """A Redis of this test's own, so it can be killed without disturbing the rest of the session."""
    server = OwnRedis(tmp_path / "own-redis", local_servers.free_ports(1)[0])
    server.start()
    try:
        yield server
    finally:
        server.kill()
