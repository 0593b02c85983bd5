"""Hot reads on plain asyncpg (shared/db/reads.py) keep the session's tenancy: a district reads only its own rows,
nothing is written through them, and a connection handed back carries no district into the next transaction."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shared.context import tenant_scope
from shared.db.kernel import outbox_message
from shared.db.reads import LeanReads, ReadStatement
from shared.settings import Settings
from shared.tenancy.hook import install_tenant_hook

EVENTS = ReadStatement(
    select(outbox_message.c.tenant_id, outbox_message.c.event)
    .where(outbox_message.c.event.like(bindparam("like")))
    .order_by(outbox_message.c.event)
)
COUNT = ReadStatement(select(func.count()).select_from(outbox_message))


@pytest.fixture
async def reads(settings: Settings, kernel_database: str) -> AsyncIterator[LeanReads]:
    lean = LeanReads(settings, kernel_database)
    yield lean
    await lean.close()


async def write_events(engine: AsyncEngine, tenant: uuid.UUID, *events: str) -> None:
    install_tenant_hook()
    with tenant_scope(tenant):
        async with AsyncSession(engine) as session, session.begin():
            for event in events:
                await session.execute(
                    insert(outbox_message).values(id=uuid.uuid4(), tenant_id=tenant, event=event, payload={})
                )


async def test_a_district_reads_only_its_own_rows(reads: LeanReads, kernel_app_engine: AsyncEngine) -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    mark = uuid.uuid4().hex[:8]
    await write_events(kernel_app_engine, a, f"lean.{mark}.1", f"lean.{mark}.2")
    await write_events(kernel_app_engine, b, f"lean.{mark}.3")
    for tenant, expected in ((a, [f"lean.{mark}.1", f"lean.{mark}.2"]), (b, [f"lean.{mark}.3"])):
        with tenant_scope(tenant):
            async with reads.transaction() as db:
                rows = await EVENTS.fetch(db, like=f"lean.{mark}.%")
        assert [r["event"] for r in rows] == expected
        assert {r["tenant_id"] for r in rows} == {tenant}


async def test_nothing_is_written_through_a_read(reads: LeanReads, kernel_app_engine: AsyncEngine) -> None:
    tenant = uuid.uuid4()
    with tenant_scope(tenant):
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            async with reads.transaction() as db:
                await db.execute(
                    "INSERT INTO outbox_message (id, tenant_id, event, payload) VALUES ($1, $2, 'x', '{}')",
                    uuid.uuid4(),
                    tenant,
                )
        async with reads.transaction() as db:  # the connection is usable again, and nothing was stored
            assert (await COUNT.fetch(db))[0][0] == 0


async def test_no_district_is_carried_into_the_next_transaction(
    settings: Settings, kernel_database: str, kernel_app_engine: AsyncEngine
) -> None:
    lean = LeanReads(settings, kernel_database)  # its own pool: the same connection serves both reads
    tenant = uuid.uuid4()
    await write_events(kernel_app_engine, tenant, "carried")
    try:
        with tenant_scope(tenant):
            async with lean.transaction() as db:
                assert (await COUNT.fetch(db))[0][0] == 1
        async with lean.transaction() as db:  # no district bound now: row-level security shows nothing
            assert (await COUNT.fetch(db))[0][0] == 0
    finally:
        await lean.close()
