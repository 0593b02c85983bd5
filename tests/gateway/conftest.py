"""The gateway's identity and tenant registry in process: real PostgreSQL and Redis, the app through
Litestar's ``AsyncTestClient``.

The gateway's three roles are pointed at a database of this package's own (``redcell_gateway_unit``), so
key rotation and retirement here can never disturb the end-to-end platform's gateway in the same session.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.database import ensure_gateway_database
from gateway.proxy.fastpath import GatewayDispatcher
from gateway.proxy.settings import ProxySettings
from shared.db.bootstrap import ensure_service_database
from shared.db.engine import make_engine, make_sessionmaker
from shared.db.urls import admin_url, database_url, plain_dsn
from shared.settings import DbRole, Settings
from tests.gateway.support import AppKeys, District, provision

UNIT_DATABASE = "redcell_gateway_unit"
ROLES: tuple[DbRole, ...] = ("owner", "app", "system")


async def _admin(settings: Settings, database: str, *statements: str) -> None:
    conn = await asyncpg.connect(plain_dsn(admin_url(settings, database)))
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
async def gateway_settings(settings: Settings) -> AsyncIterator[Settings]:
    """Settings whose gateway roles use ``redcell_gateway_unit``, created and migrated to head."""
    await ensure_service_database(settings, "gateway")  # the gateway_owner/app/system roles (cluster-wide)
    await _admin(
        settings,
        "postgres",
        f'DROP DATABASE IF EXISTS "{UNIT_DATABASE}" WITH (FORCE)',
        f"CREATE DATABASE \"{UNIT_DATABASE}\" OWNER gateway_owner ENCODING 'UTF8' TEMPLATE template0",
    )
    await _admin(
        settings,
        UNIT_DATABASE,
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        "ALTER DEFAULT PRIVILEGES FOR ROLE gateway_owner IN SCHEMA public "
        "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gateway_app, gateway_system",
    )
    urls = {
        f"gateway_{role}": SecretStr(database_url(settings, "gateway", role).rsplit("/", 1)[0] + f"/{UNIT_DATABASE}")
        for role in ROLES
    }
    unit = settings.model_copy(update={"pg": settings.pg.model_copy(update={"urls": {**settings.pg.urls, **urls}})})
    await ensure_gateway_database(unit, bootstrap=False)
    yield unit
    await _admin(settings, "postgres", f'DROP DATABASE IF EXISTS "{UNIT_DATABASE}" WITH (FORCE)')


@pytest.fixture(scope="session")
async def system_sessions(gateway_settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The gateway database as its system role (BYPASSRLS): to arrange and inspect rows in tests."""
    engine = make_engine(gateway_settings, "gateway", "system", pool_size=2)
    yield make_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture(scope="session")
async def app_sessions(gateway_settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The gateway database as its application role (RLS applies)."""
    engine = make_engine(gateway_settings, "gateway", "app", pool_size=2)
    yield make_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
def gateway(gateway_settings: Settings) -> GatewayDispatcher:
    # Every request here comes from one test address; the per-address login limit has its own e2e test.
    return create_app(gateway_settings, ProxySettings(upstreams={}, anonymous_rate_per_minute=1_000_000))


@pytest.fixture
async def client(gateway: GatewayDispatcher) -> AsyncIterator[AsyncTestClient[Any]]:
    async with AsyncTestClient(gateway) as test_client:
        yield test_client


@pytest.fixture
def key_ring(gateway: GatewayDispatcher, client: AsyncTestClient[Any]) -> AppKeys:
    return AppKeys(gateway, client)


@pytest.fixture
def new_district(system_sessions: async_sessionmaker[AsyncSession]) -> Callable[..., Awaitable[District]]:
    """How ``district_a`` and ``district_b`` (tests/platform/plugin.py) are made here: a provisioned tenant."""

    async def new(_name: str, slug: str) -> District:
        return await provision(system_sessions, slug)

    return new
