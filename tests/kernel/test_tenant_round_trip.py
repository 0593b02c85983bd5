"""The tenant reaches PostgreSQL in the same round trip as the transaction's BEGIN, never in one of its own.

Round trips are counted as the messages the driver writes to the server (asyncpg writes each request, a BEGIN or
a bind-and-execute of a prepared statement, in one write and then waits for the answer).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shared.context import tenant_scope
from shared.db.engine import make_engine
from shared.db.kernel import outbox_message
from shared.settings import Settings
from shared.tenancy.hook import BINDS_TENANT

_SETTING = text("SELECT current_setting('app.tenant_id', true)")


@pytest.fixture
async def one_connection(settings: Settings, kernel_database: str) -> AsyncIterator[AsyncEngine]:
    """The app role through a pool of exactly one connection, so every checkout is the same connection."""
    engine = make_engine(settings, kernel_database, "app", pool_size=1, max_overflow=0)
    yield engine
    await engine.dispose()


@contextmanager
def server_messages(engine: AsyncEngine) -> Iterator[list[bytes]]:
    """What the engine's connections write to PostgreSQL while the block runs, one entry per write."""
    written: list[bytes] = []
    patched: list[Any] = []

    def count(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        transport = record.driver_connection._transport
        if transport not in patched:
            original = transport.write

            def write(data: bytes, original: Any = original) -> None:
                written.append(bytes(data))
                original(data)

            transport.write = write
            patched.append(transport)

    event.listen(engine.sync_engine.pool, "checkout", count)
    try:
        yield written
    finally:
        event.remove(engine.sync_engine.pool, "checkout", count)
        for transport in patched:
            del transport.write  # back to the class's method


async def _read(engine: AsyncEngine) -> tuple[str | None, list[uuid.UUID]]:
    async with AsyncSession(engine) as session, session.begin():
        seen = await session.scalar(_SETTING)
        rows = (await session.execute(select(outbox_message.c.tenant_id))).scalars().all()
    return seen, list(rows)


async def test_the_tenant_rides_on_the_begin(one_connection: AsyncEngine) -> None:
    tenant = uuid.uuid4()
    with tenant_scope(tenant):
        async with AsyncSession(one_connection) as session, session.begin():
            await session.execute(
                insert(outbox_message).values(id=uuid.uuid4(), tenant_id=tenant, event="t", payload={})
            )
        await _read(one_connection)  # the connection has prepared these statements now
        with server_messages(one_connection) as written:
            seen, rows = await _read(one_connection)
    assert seen == str(tenant)
    assert rows == [tenant]  # RLS saw the tenant
    assert len(written) == 4, written  # BEGIN with the tenant, two queries, COMMIT
    assert written[0].startswith(b"Q")  # one simple query: both statements in one message
    assert b"BEGIN" in written[0]
    assert f"set_config('app.tenant_id', '{tenant}', true)".encode() in written[0]
    assert b"COMMIT" in written[-1]
    assert not any(b"set_config" in message for message in written[1:])


async def test_no_tenant_binds_the_empty_setting(one_connection: AsyncEngine) -> None:
    async with AsyncSession(one_connection) as session, session.begin():
        assert await session.scalar(_SETTING) == ""
        assert (await session.execute(select(outbox_message.c.id))).all() == []


async def test_a_session_joining_a_begun_transaction_still_binds_its_tenant(one_connection: AsyncEngine) -> None:
    tenant = uuid.uuid4()
    async with one_connection.connect() as conn:
        await conn.begin()
        await conn.execute(text("SELECT 1"))  # the BEGIN has gone already
        with tenant_scope(tenant):
            session = AsyncSession(bind=conn, join_transaction_mode="create_savepoint")
            assert await session.scalar(_SETTING) == str(tenant)
            await session.close()
        await conn.rollback()


async def test_a_tenant_no_statement_used_is_forgotten_in_the_pool(one_connection: AsyncEngine) -> None:
    with tenant_scope(uuid.uuid4()):
        async with AsyncSession(one_connection) as session, session.begin():
            await session.connection()  # began (the hook ran) but sent nothing
    async with one_connection.begin() as conn:  # the same connection, outside any session
        assert (await conn.execute(_SETTING)).scalar() in ("", None)


async def test_the_event_consumer_binds_its_own_tenant(one_connection: AsyncEngine) -> None:
    """A session marked BINDS_TENANT sends a bare BEGIN: its first statement sets the tenant itself."""
    tenant = uuid.uuid4()
    with tenant_scope(tenant), server_messages(one_connection) as written:
        async with AsyncSession(one_connection, info={BINDS_TENANT: True}) as session, session.begin():
            await session.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant)})
    assert b"BEGIN" in written[0]
    assert b"app.tenant_id" not in written[0]
