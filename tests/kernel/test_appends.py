"""Rows a transaction only appends (audit entries, outbox events) and its notifications go in one statement at
commit (shared/db/appends.py): kept or lost with their transaction, a rolled-back savepoint taking its own with it,
and bound to the district they were made for even when nothing else in the transaction ran first."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shared import audit
from shared.context import tenant_scope
from shared.contracts.orgtree import MemberUpdated
from shared.db.appends import notify
from shared.db.kernel import audit_event, outbox_message
from shared.db.urls import database_url, plain_dsn
from shared.messaging.outbox import publish
from shared.settings import Settings
from shared.tenancy.hook import install_tenant_hook
from tests.platform.statements import counted


def updated(tenant: uuid.UUID) -> MemberUpdated:
    return MemberUpdated(tenant_id=tenant, member_id=uuid.uuid4(), grid_id=None, changed=["name"])


async def rows_of(engine: AsyncEngine, tenant: uuid.UUID) -> tuple[list[str], list[str]]:
    with tenant_scope(tenant):
        async with AsyncSession(engine) as session:
            events = list((await session.execute(select(outbox_message.c.event))).scalars())
            actions = list((await session.execute(select(audit_event.c.action))).scalars())
    return events, actions


async def test_appended_rows_and_a_notice_go_in_one_statement_at_commit(
    kernel_app_engine: AsyncEngine, settings: Settings, kernel_database: str
) -> None:
    install_tenant_hook()
    tenant = uuid.uuid4()
    listener = await asyncpg.connect(plain_dsn(database_url(settings, kernel_database, "app")))
    heard: list[str] = []
    await listener.add_listener("appends_test", lambda *args: heard.append(args[3]))
    try:
        with tenant_scope(tenant), counted() as statements:
            async with AsyncSession(kernel_app_engine) as session, session.begin():
                await publish(session, updated(tenant))
                await audit.record(session, "member.updated", subject_type="unit")
                await notify(session, "appends_test", "changed")
                assert statements == []  # nothing sent yet
        assert len(statements) == 1
        sent = " ".join(statements[0].split())
        assert sent.startswith("WITH append_0 AS (INSERT INTO outbox_message")
        assert "append_1 AS (INSERT INTO audit_event" in sent
        assert "SELECT pg_notify(" in sent
        assert await rows_of(kernel_app_engine, tenant) == (["orgtree.MemberUpdated"], ["member.updated"])
        for _ in range(50):
            if heard:
                break
            await listener.execute("SELECT 1")  # a round trip lets the notification in
        assert heard == ["changed"]
    finally:
        await listener.close()


async def test_a_rolled_back_transaction_stores_nothing(kernel_app_engine: AsyncEngine) -> None:
    install_tenant_hook()
    tenant = uuid.uuid4()
    with tenant_scope(tenant):
        async with AsyncSession(kernel_app_engine) as session:
            await session.begin()
            await publish(session, updated(tenant))
            await audit.record(session, "member.updated")
            await session.rollback()
            async with session.begin():  # the next transaction of the same session sends nothing of the first
                await audit.record(session, "next")
    assert await rows_of(kernel_app_engine, tenant) == ([], ["next"])


async def test_a_rolled_back_savepoint_takes_its_own_rows(kernel_app_engine: AsyncEngine) -> None:
    install_tenant_hook()
    tenant = uuid.uuid4()
    with tenant_scope(tenant):
        async with AsyncSession(kernel_app_engine) as session, session.begin():
            await audit.record(session, "kept")
            savepoint = await session.begin_nested()
            await audit.record(session, "undone")
            await savepoint.rollback()
    assert await rows_of(kernel_app_engine, tenant) == ([], ["kept"])


async def test_rows_are_bound_to_their_district_when_committed_outside_its_scope(
    kernel_app_engine: AsyncEngine,
) -> None:
    install_tenant_hook()
    tenant = uuid.uuid4()
    async with AsyncSession(kernel_app_engine) as session:
        await session.begin()
        with tenant_scope(tenant):
            await publish(session, updated(tenant))
        await session.commit()  # no district is current here: the rows' own is bound (RLS would refuse otherwise)
    assert (await rows_of(kernel_app_engine, tenant))[0] == ["orgtree.MemberUpdated"]


async def test_entries_of_one_transaction_keep_the_order_they_were_made_in(kernel_app_engine: AsyncEngine) -> None:
    install_tenant_hook()
    tenant = uuid.uuid4()
    made = [f"step.{n}" for n in range(6)]
    with tenant_scope(tenant):
        async with AsyncSession(kernel_app_engine) as session, session.begin():
            for n, action in enumerate(made):
                await audit.record(session, action)
                if n % 2:
                    await publish(session, updated(tenant))  # another table's rows in between
        async with AsyncSession(kernel_app_engine) as session:
            actions = list((await session.execute(select(audit_event.c.action).order_by(audit_event.c.id))).scalars())
    assert actions == made
