"""pytest plugin (``-p tests.platform.plugin``): the session's own PostgreSQL, Redis and S3 server.

They run on free loopback ports in a temporary folder created and removed by the session; a
developer's `make dev` servers are never used or touched.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from deploy import local_servers
from shared.db.bootstrap import drop_service_database, ensure_service_database
from shared.db.engine import make_engine
from shared.db.migrations import create_kernel_tables
from shared.db.urls import database_url
from shared.settings import MAIN_CELL, PostgresSettings, RedisSettings, S3Settings, Settings
from tests.platform.browser import browser, new_page  # noqa: F401 - the console's real browser
from tests.platform.demo import orgtree_demo  # noqa: F401 - the demo districts' trees, loaded once
from tests.platform.platform import platform  # noqa: F401 - the session's end-to-end fixture
from tests.platform.workers import PLATFORM_FROM, PlatformWorkerScheduling, record_platform_from

# Passwords hashed at OWASP's argon2id minimum (19 MiB, two passes, one lane: 30 ms of CPU) rather than the
# gateway's default (0.2 s): the suite signs users in several hundred times. The same code runs either way.
PASSWORD_HASHING = {
    "REDCELL_GATEWAY__PASSWORD_TIME_COST": "2",
    "REDCELL_GATEWAY__PASSWORD_MEMORY_KIB": "19456",
    "REDCELL_GATEWAY__PASSWORD_PARALLELISM": "1",
}
for _name, _value in PASSWORD_HASHING.items():  # the gateway in this process; subprocesses inherit them
    os.environ.setdefault(_name, _value)

KERNEL_TEST_SERVICE = "kerneltest"
SECOND_CELL = "east"  # a second PostgreSQL cluster: the database cell beside main (shared/db/cells.py)


@pytest.fixture(scope="session")
def servers() -> Iterator[local_servers.ServerState]:
    root = Path(tempfile.mkdtemp(prefix="redcell-test-"))
    state = local_servers.up(root, durable=False, cells=(SECOND_CELL,))
    try:
        yield state
    finally:
        local_servers.down(root, remove=True)


TEST_CONNECT_TIMEOUT_S = 20.0


def settings_for(state: local_servers.ServerState, *, cells: bool = False, **overrides: object) -> Settings:
    """Settings on the session's servers; with ``cells``, the second PostgreSQL cluster as a database cell."""
    env = state.env()
    ports = state.cell_ports if cells else {}
    values: dict[str, object] = {
        "env": "test",
        "log_json": False,
        # A test's own connections wait longer than production's 5 s: two cores running a whole suite starved one
        # connect of that in CI once.
        "pg": PostgresSettings(host="127.0.0.1", port=state.pg_port, connect_timeout_s=TEST_CONNECT_TIMEOUT_S),
        "cells": {
            cell: PostgresSettings(host="127.0.0.1", port=port, connect_timeout_s=TEST_CONNECT_TIMEOUT_S)
            for cell, port in ports.items()
        },
        "redis": RedisSettings(url=env["REDCELL_REDIS__URL"]),
        "s3": S3Settings(
            endpoint=env["REDCELL_S3__ENDPOINT"],
            access_key=env["REDCELL_S3__ACCESS_KEY"],
            secret_key=env["REDCELL_S3__SECRET_KEY"],
            bucket=env["REDCELL_S3__BUCKET"],
        ),
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def settings(servers: local_servers.ServerState) -> Settings:
    return settings_for(servers)


@pytest.fixture(scope="session")
def cell_settings(servers: local_servers.ServerState) -> Settings:
    """Settings with the second cluster as the database cell ``SECOND_CELL``."""
    return settings_for(servers, cells=True)


@pytest.fixture(scope="session")
def server_env(servers: local_servers.ServerState) -> dict[str, str]:
    """Environment for Redcell subprocesses (api, relay, worker) started by a test, on one database cell (``main``):
    a test's own processes need no second cluster's databases."""
    env = {k: v for k, v in servers.env().items() if not k.startswith("REDCELL_CELLS__")}
    return {**env, **PASSWORD_HASHING, "REDCELL_ENV": "test", "REDCELL_LOG_JSON": "true"}


@pytest.fixture(scope="session")
def cells_env(servers: local_servers.ServerState) -> dict[str, str]:
    """The environment naming the second PostgreSQL cluster as the database cell ``SECOND_CELL``."""
    return {k: v for k, v in servers.env().items() if k.startswith("REDCELL_CELLS__")}


def _create_kernel(sync_conn: object, service: str) -> None:
    ctx = MigrationContext.configure(sync_conn)  # type: ignore[arg-type]
    with Operations.context(ctx):
        create_kernel_tables(service)


async def create_kernel_database(settings: Settings, service: str, cell: str = MAIN_CELL) -> None:
    """A database for ``service`` with its roles and only the kernel tables (on ``cell``'s cluster)."""
    await ensure_service_database(settings, service, cell)
    owner: AsyncEngine = create_async_engine(database_url(settings, service, "owner", cell=cell))
    async with owner.begin() as conn:
        await conn.run_sync(_create_kernel, service)
    await owner.dispose()


@pytest.fixture(scope="session")
async def kernel_database(settings: Settings) -> AsyncIterator[str]:
    """A service database holding only the kernel tables (outbox, inbox, audit, data keys).

    Yields the service name; build engines with ``make_engine(settings, name, role)``.
    """
    await create_kernel_database(settings, KERNEL_TEST_SERVICE)
    yield KERNEL_TEST_SERVICE
    await drop_service_database(settings, KERNEL_TEST_SERVICE)


@pytest.fixture(scope="session")
async def kernel_app_engine(settings: Settings, kernel_database: str) -> AsyncIterator[AsyncEngine]:
    """The kernel test database as the application role (RLS applies)."""
    engine = make_engine(settings, kernel_database, "app")
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def kernel_system_engine(settings: Settings, kernel_database: str) -> AsyncIterator[AsyncEngine]:
    """The kernel test database as the system role (cross-tenant; relay and provisioning)."""
    engine = make_engine(settings, kernel_database, "system")
    yield engine
    await engine.dispose()


def run(coro: object) -> object:
    """Run a coroutine from synchronous test code."""
    return asyncio.run(coro)  # type: ignore[arg-type]


async def prepare_database(settings: Settings, component: str, migrations_dir: Path) -> None:
    """Create a component's database and roles, then migrate it to head (as `redcell migrate --bootstrap`)."""
    from shared.db.alembic_env import upgrade

    await ensure_service_database(settings, component)
    await asyncio.to_thread(upgrade, settings, component, migrations_dir)


@pytest.fixture(scope="session")
def issuer(settings: Settings) -> object:
    """Signs tokens like the gateway, for testing one service on its own."""
    from tests.platform.tokens import TestIssuer

    return TestIssuer(settings.jwt)


# Two districts for every isolation test. Each test package says how a district is made there by
# providing ``new_district``: an async callable taking the district's name (and a slug for the gateway).
DISTRICT_A = ("龙湾区", "unit-a")
DISTRICT_B = ("瓯海区", "unit-b")


@pytest.fixture
async def district_a(new_district: Any) -> Any:
    return await new_district(*DISTRICT_A)


@pytest.fixture
async def district_b(new_district: Any) -> Any:
    return await new_district(*DISTRICT_B)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on the running platform go last, the end-to-end ones before the console's: once started, its
    workers, relays and scheduler sweep every district of the shared servers, which would act on the tickets
    other tests write to the services' databases directly; and the console's tests add users that the
    end-to-end tests count."""

    def order(item: pytest.Item) -> int:
        if "platform" not in getattr(item, "fixturenames", ()):
            return 0
        return 1 if "tests/e2e/" in item.nodeid else 2

    items.sort(key=order)  # stable: the order within each group stays as collected
    record_platform_from(next((k for k, item in enumerate(items) if order(item)), len(items)))


def pytest_configure(config: pytest.Config) -> None:
    """In the controller of an xdist run: the file where its workers say where the platform's tests begin."""
    if not hasattr(config, "workerinput") and PLATFORM_FROM not in os.environ:
        handle, path = tempfile.mkstemp(prefix="redcell-platform-from-")
        os.close(handle)
        os.environ[PLATFORM_FROM] = path


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        Path(os.environ.pop(PLATFORM_FROM, "/nonexistent")).unlink(missing_ok=True)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> PlatformWorkerScheduling:
    return PlatformWorkerScheduling(config, log)
