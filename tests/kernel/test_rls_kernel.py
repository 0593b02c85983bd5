"""The kernel tables enforce tenancy in the database itself."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shared.context import tenant_scope
from shared.db.kernel import audit_event, outbox_message
from shared.db.urls import database_url, plain_dsn
from shared.settings import Settings
from shared.tenancy.hook import install_tenant_hook
from tests.platform.catalogue import rls_violations


async def _write_event(engine: AsyncEngine, tenant: uuid.UUID) -> None:
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(
            insert(outbox_message).values(id=uuid.uuid4(), tenant_id=tenant, event="test.Thing", payload={})
        )


async def test_app_role_sees_only_its_tenant(kernel_app_engine: AsyncEngine) -> None:
    install_tenant_hook()
    a, b = uuid.uuid4(), uuid.uuid4()
    with tenant_scope(a):
        await _write_event(kernel_app_engine, a)
    with tenant_scope(b):
        await _write_event(kernel_app_engine, b)
        async with AsyncSession(kernel_app_engine) as session:
            tenants = set((await session.execute(select(outbox_message.c.tenant_id))).scalars())
    assert tenants == {b}
    async with AsyncSession(kernel_app_engine) as session:  # no tenant bound: nothing
        rows = (await session.execute(select(outbox_message.c.id))).all()
    assert rows == []


async def test_write_into_another_tenant_is_refused(kernel_app_engine: AsyncEngine) -> None:
    with tenant_scope(uuid.uuid4()), pytest.raises(DBAPIError, match="row-level security"):
        await _write_event(kernel_app_engine, uuid.uuid4())


async def test_audit_log_is_append_only(kernel_app_engine: AsyncEngine) -> None:
    tenant = uuid.uuid4()
    with tenant_scope(tenant):
        async with AsyncSession(kernel_app_engine) as session, session.begin():
            await session.execute(insert(audit_event).values(tenant_id=tenant, action="test.write"))
        with pytest.raises(DBAPIError, match=r"permission denied|append-only"):
            async with AsyncSession(kernel_app_engine) as session, session.begin():
                await session.execute(text("DELETE FROM audit_event"))


async def test_the_catalogue_check_catches_an_unprotected_table(settings: Settings, kernel_database: str) -> None:
    assert await rls_violations(settings, kernel_database) == []
    conn = await asyncpg.connect(plain_dsn(database_url(settings, kernel_database, "owner")))
    try:
        await conn.execute("CREATE TABLE leaky (id int PRIMARY KEY, tenant_id uuid NOT NULL)")
        problems = await rls_violations(settings, kernel_database)
        assert "leaky: row-level security not enabled" in problems
        assert "leaky: no policy" in problems
    finally:
        await conn.execute("DROP TABLE leaky")
        await conn.close()
