"""A store that is down or restarting, as a client of a service sees it: a 503 problem+json with Retry-After, never a
bare 500; and after PostgreSQL has closed the pooled connections (a restart, a terminated backend), the next request
is answered at once instead of failing on a dead connection."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest
import redis.asyncio as redis
from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from deploy.local_servers import free_ports
from shared.auth.principal import Role
from shared.db.urls import admin_url, plain_dsn
from shared.http.app import build_app
from shared.settings import Settings
from tests.platform.tokens import TestIssuer


class Probe(Controller):
    path = "/api/kernel/stores"

    @get("/database")
    async def database(self, db_session: NamedDependency[AsyncSession]) -> dict[str, int]:
        return {"one": int(await db_session.scalar(text("SELECT 1")) or 0)}

    @get("/queue")
    async def queue(self, redis_url: NamedDependency[str]) -> dict[str, bool]:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=1)
        try:
            return {"pong": bool(await client.ping())}
        finally:
            await client.aclose()


def on_a_dead_port(settings: Settings) -> Settings:
    """The same settings with PostgreSQL and Redis on ports nobody listens on: stores that are down."""
    port, redis_port = free_ports(2)
    return settings.model_copy(
        update={
            "pg": settings.pg.model_copy(update={"port": port}),
            "redis": settings.redis.model_copy(update={"url": f"redis://127.0.0.1:{redis_port}/0"}),
        }
    )


@asynccontextmanager
async def service(settings: Settings, issuer: TestIssuer, database: str) -> AsyncIterator[Callable[[str], Any]]:
    """The kernel's app on ``database``; yields a GET that carries a district's token."""
    redis_url = settings.redis.url

    async def provide_redis_url() -> str:
        return redis_url

    app = build_app(
        database,
        [Probe],
        settings,
        title="stores",
        verifier=issuer.verifier(),
        dependencies={"redis_url": Provide(provide_redis_url)},
    )
    token = issuer.token(tenant=uuid.uuid4(), roles=[Role.DISTRICT_ADMIN])
    async with AsyncTestClient(app=app) as client:

        async def call(path: str) -> Any:
            return await client.get(f"/api/kernel/stores/{path}", headers={"Authorization": f"Bearer {token}"})

        yield call


@pytest.mark.parametrize("store", ["database", "queue"])
async def test_a_store_that_is_down_is_a_503_with_retry_after(
    settings: Settings, issuer: TestIssuer, kernel_database: str, store: str
) -> None:
    async with service(on_a_dead_port(settings), issuer, kernel_database) as call:
        answer = await call(store)
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.headers["retry-after"] == "5"
    assert "try again" in answer.json()["detail"]


async def test_connections_the_database_closed_are_replaced_before_use(
    settings: Settings, issuer: TestIssuer, kernel_database: str
) -> None:
    async with service(settings, issuer, kernel_database) as call:
        answers = await asyncio.gather(*(call("database") for _ in range(3)))  # a few pooled connections
        assert [a.status_code for a in answers] == [200, 200, 200]
        admin = await asyncpg.connect(plain_dsn(admin_url(settings)))
        try:  # what a PostgreSQL restart does to a pool: every backend of the service ends
            ended = await admin.fetchval(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = $1) AS t",
                f"redcell-{kernel_database}-app",
            )
        finally:
            await admin.close()
        assert ended >= 1
        await asyncio.sleep(0.3)  # the server's goodbye arrives on the idle connections
        after = [await call("database") for _ in range(3)]
    assert [a.status_code for a in after] == [200, 200, 200], [a.text for a in after]
    assert [a.json() for a in after] == [{"one": 1}] * 3
