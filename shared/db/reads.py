"""Hot reads without the ORM: a read-only transaction on a plain asyncpg pool, statements compiled once.

A request's ``AsyncSession`` transaction costs about 0.8 ms of CPU on this machine kind in SQLAlchemy's own
machinery (pool checkout, greenlet hops, the session's state, result wrapping) before its queries cost anything;
the same three round trips (BEGIN with the tenant, the query, COMMIT) straight on asyncpg cost about 0.2 ms
(docs/benchmarks.md, "Where a service request's time goes"). Listings that the console asks for on every page
(the tree browser's children) use this path; everything that writes, or needs the ORM's rows, keeps the session.

Tenancy is the same as the session's: the service's ``app`` role (so row-level security applies), the tenant
bound in the BEGIN's own message (as ``shared/tenancy/hook.py`` does), and the connection on the cell that holds
the district's rows (``shared/db/cells.py``). The transaction is READ ONLY, which is also what a district being
moved to another cell may still have (its reads go on at the old cell meanwhile).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.sql import Select

from shared.context import current_tenant
from shared.db.cells import placement_view
from shared.db.urls import database_url, plain_dsn
from shared.settings import Settings

_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]  # SQLAlchemy's dialects are untyped


class ReadStatement:
    """A SQLAlchemy Core ``select`` compiled once to asyncpg's SQL; its bind parameters are passed by name."""

    def __init__(self, statement: Select[Any]) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        self.sql = compiled.string
        self._names = tuple(compiled.positiontup or ())
        self._fixed = {name: value for name, value in compiled.params.items() if value is not None}

    async def fetch(self, connection: asyncpg.Connection, **params: Any) -> list[asyncpg.Record]:
        values = {**self._fixed, **params}
        rows: list[asyncpg.Record] = await connection.fetch(self.sql, *(values[name] for name in self._names))
        return rows

    async def fetchrow(self, connection: asyncpg.Connection, **params: Any) -> asyncpg.Record | None:
        rows = await self.fetch(connection, **params)
        return rows[0] if rows else None


class LeanReads:
    """A service's asyncpg pools for hot reads, one per cell, opened on first use."""

    def __init__(self, settings: Settings, service: str) -> None:
        self.settings, self.service = settings, service
        self._pools: dict[str, asyncpg.Pool] = {}
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """A read-only transaction of the current district (the request's), on the cell holding its rows."""
        tenant = current_tenant.get()
        pool = await self._pool(placement_view(self.settings).cell(tenant, self.service))
        bound = str(UUID(str(tenant))) if tenant else ""  # a UUID: safe as a literal
        async with pool.acquire() as connection:
            await connection.execute(f"BEGIN READ ONLY; SELECT set_config('app.tenant_id', '{bound}', true)")
            try:
                yield connection
            except BaseException:
                await connection.execute("ROLLBACK")
                raise
            await connection.execute("COMMIT")

    async def close(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.close()

    async def _pool(self, cell: str) -> asyncpg.Pool:
        pool = self._pools.get(cell)
        if pool is None:
            async with self._lock:
                pool = self._pools.get(cell)
                if pool is None:
                    pool = self._pools[cell] = await asyncpg.create_pool(
                        plain_dsn(database_url(self.settings, self.service, "app", cell=cell)),
                        min_size=1,
                        max_size=self.settings.pg.pool_size,
                        timeout=self.settings.pg.connect_timeout_s,
                        server_settings={"application_name": f"redcell-{self.service}-reads"},
                    )
        return pool
