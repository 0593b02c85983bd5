"""publish(): the event is a row in the caller's transaction, never a Redis call."""

from __future__ import annotations

import uuid

import asyncpg
import msgspec
import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.context import current_request_id, tenant_scope
from shared.contracts.base import Envelope
from shared.contracts.routing import EVENTS_ACTOR
from shared.db.engine import make_sessionmaker
from shared.db.kernel import outbox_message
from shared.db.urls import database_url, plain_dsn
from shared.messaging.outbox import publish
from shared.messaging.relay import message_for
from shared.settings import Settings
from tests.messaging.probe import ProbeHappened
from tests.messaging.support import outbox_rows


async def test_the_row_commits_and_rolls_back_with_the_callers_transaction(
    kernel_app_engine: AsyncEngine, kernel_system_engine: AsyncEngine
) -> None:
    tenant = uuid.uuid4()
    sessions = make_sessionmaker(kernel_app_engine)
    rolled_back: list[uuid.UUID] = []

    async def publish_then_fail() -> None:
        async with sessions() as session, session.begin():
            rolled_back.append(await publish(session, ProbeHappened(tenant_id=tenant, probe_id=uuid.uuid4())))
            raise LookupError("a business rule failed after the publish")

    with tenant_scope(tenant):
        with pytest.raises(LookupError, match="business rule"):
            await publish_then_fail()
        async with sessions() as session, session.begin():
            committed = await publish(session, ProbeHappened(tenant_id=tenant, probe_id=uuid.uuid4()))
    rows = await outbox_rows(kernel_system_engine, [*rolled_back, committed])
    assert len(rolled_back) == 1
    assert [row["id"] for row in rows] == [committed]
    row = rows[0]
    assert row["tenant_id"] == tenant
    assert row["event"] == "kerneltest.ProbeHappened"
    assert row["payload"]["version"] == 1
    assert row["published_at"] is None
    assert committed.version == 7  # time-ordered


async def test_ids_are_time_ordered_and_the_request_id_comes_from_context(
    kernel_app_engine: AsyncEngine, kernel_system_engine: AsyncEngine
) -> None:
    tenant = uuid.uuid4()
    token = current_request_id.set("req-from-context")
    try:
        with tenant_scope(tenant):
            async with make_sessionmaker(kernel_app_engine)() as session, session.begin():
                ids = [await publish(session, ProbeHappened(tenant_id=tenant, probe_id=uuid.uuid4())) for _ in range(5)]
                explicit = await publish(
                    session, ProbeHappened(tenant_id=tenant, probe_id=uuid.uuid4()), request_id="r" * 100
                )
    finally:
        current_request_id.reset(token)
    assert ids == sorted(ids)
    rows = {row["id"]: row for row in await outbox_rows(kernel_system_engine, [*ids, explicit])}
    assert {rows[i]["request_id"] for i in ids} == {"req-from-context"}
    assert rows[explicit]["request_id"] == "r" * 64  # bounded to the column, not an error


async def test_an_event_of_another_tenant_is_refused_by_rls(kernel_app_engine: AsyncEngine) -> None:
    with tenant_scope(uuid.uuid4()), pytest.raises(DBAPIError, match="row-level security"):
        async with make_sessionmaker(kernel_app_engine)() as session, session.begin():
            await publish(session, ProbeHappened(tenant_id=uuid.uuid4(), probe_id=uuid.uuid4()))


async def test_the_relay_message_carries_the_envelope_and_a_deterministic_id(
    settings: Settings, kernel_database: str, kernel_app_engine: AsyncEngine
) -> None:
    tenant, probe = uuid.uuid4(), uuid.uuid4()
    with tenant_scope(tenant):
        async with make_sessionmaker(kernel_app_engine)() as session, session.begin():
            outbox_id = await publish(session, ProbeHappened(tenant_id=tenant, probe_id=probe), request_id="req-1")
    # the relay reads rows with asyncpg (jsonb arrives as text), as the system role
    conn = await asyncpg.connect(plain_dsn(database_url(settings, kernel_database, "system")))
    try:
        row = await conn.fetchrow("SELECT * FROM outbox_message WHERE id = $1", outbox_id)
    finally:
        await conn.close()
    first, again, other = message_for(row, "kerneltest"), message_for(row, "kerneltest"), message_for(row, "other")
    assert first.message_id == again.message_id == str(uuid.uuid5(outbox_id, "kerneltest"))
    assert other.message_id != first.message_id
    assert (first.queue_name, first.actor_name) == ("kerneltest.events", EVENTS_ACTOR)
    assert first.options == {"tenant_id": str(tenant), "request_id": "req-1"}
    envelope = msgspec.convert(first.args[0], Envelope, strict=False)
    assert (envelope.id, envelope.tenant_id, envelope.version) == (outbox_id, tenant, 1)
    assert envelope.decode() == ProbeHappened(tenant_id=tenant, probe_id=probe)
    # what travels is plain JSON
    assert msgspec.json.decode(first.encode())["args"][0]["id"] == str(outbox_id)


async def test_publish_makes_no_row_visible_before_commit(
    kernel_app_engine: AsyncEngine, kernel_system_engine: AsyncEngine
) -> None:
    tenant = uuid.uuid4()
    with tenant_scope(tenant):
        async with make_sessionmaker(kernel_app_engine)() as session, session.begin():
            outbox_id = await publish(session, ProbeHappened(tenant_id=tenant, probe_id=uuid.uuid4()))
            async with kernel_system_engine.connect() as other:  # what a relay would see meanwhile
                seen = (await other.execute(select(outbox_message.c.id).where(outbox_message.c.id == outbox_id))).all()
            assert seen == []
