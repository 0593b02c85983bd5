"""A district's rows copied between two PostgreSQL clusters (the database cells), compared, and deleted from the
first: the other district's rows are untouched throughout, the audit trail moves whole and stays append-only."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from shared.db.bootstrap import drop_service_database
from shared.db.tenant_rows import (
    SchemaMismatchError,
    copy_district,
    delete_district,
    digest_district,
    district_tables,
)
from shared.db.urls import database_url, plain_dsn
from shared.settings import MAIN_CELL, Settings
from tests.platform.plugin import SECOND_CELL, create_kernel_database

SERVICE = "cellstest"
A, B = uuid.uuid4(), uuid.uuid4()


async def connect(settings: Settings, role: str, cell: str) -> asyncpg.Connection:
    return await asyncpg.connect(plain_dsn(database_url(settings, SERVICE, role, cell=cell)))  # type: ignore[arg-type]


@pytest.fixture
async def cells(cell_settings: Settings) -> AsyncIterator[Settings]:
    settings = cell_settings
    for cell in (MAIN_CELL, SECOND_CELL):
        await create_kernel_database(settings, SERVICE, cell)
    main = await connect(settings, "system", MAIN_CELL)
    try:
        for tenant, events in ((A, 3), (B, 2)):
            for n in range(events):
                await main.execute(
                    "INSERT INTO outbox_message (id, tenant_id, event, payload, published_at) "
                    "VALUES ($1, $2, 'orgtree.GridCreated', $3::jsonb, now())",
                    uuid.uuid4(),
                    tenant,
                    f'{{"n": {n}}}',
                )
            await main.execute(
                "INSERT INTO inbox_message (consumer, message_id, tenant_id, event) VALUES ('dispatch', $1, $2, 'e')",
                str(uuid.uuid4()),
                tenant,
            )
            await main.execute(
                "INSERT INTO audit_event (tenant_id, action, detail) VALUES ($1, 'ticket.created', '{}')", tenant
            )
            await main.execute(
                "INSERT INTO tenant_data_key (tenant_id, version, wrapped_key) VALUES ($1, 1, $2)", tenant, b"k" * 40
            )
    finally:
        await main.close()
    yield settings
    for cell in (MAIN_CELL, SECOND_CELL):
        await drop_service_database(settings, SERVICE, cell)


async def test_a_district_is_copied_compared_and_deleted_while_the_other_stays(cells: Settings) -> None:
    main, east = await connect(cells, "system", MAIN_CELL), await connect(cells, "system", SECOND_CELL)
    owner = await connect(cells, "owner", MAIN_CELL)
    try:
        assert set(await district_tables(main)) == {"outbox_message", "inbox_message", "audit_event", "tenant_data_key"}
        other_before = await digest_district(main, B)
        order_before = [
            r["payload"]
            for r in await main.fetch("SELECT payload FROM outbox_message WHERE tenant_id = $1 ORDER BY seq", A)
        ]

        copied = await copy_district(main, east, A)
        assert copied == {"outbox_message": 3, "inbox_message": 1, "audit_event": 1, "tenant_data_key": 1}
        assert await digest_district(east, A) == await digest_district(main, A)
        assert all(d.rows == 0 for d in (await digest_district(east, B)).values())  # only A went across
        order_after = [
            r["payload"]
            for r in await east.fetch("SELECT payload FROM outbox_message WHERE tenant_id = $1 ORDER BY seq", A)
        ]
        assert order_after == order_before  # the relay's order survives the new cell's numbering

        with pytest.raises(RuntimeError, match="already holds"):  # a second copy would duplicate: refused whole
            await copy_district(main, east, A)
        assert (await digest_district(east, A))["outbox_message"].rows == 3

        deleted = await delete_district(owner, A)
        assert (deleted["audit_event"], deleted["outbox_message"]) == (1, 3)
        assert all(d.rows == 0 for d in (await digest_district(main, A)).values())
        assert await digest_district(main, B) == other_before
        with pytest.raises(asyncpg.InsufficientPrivilegeError):  # still append-only for everyone
            await owner.execute("DELETE FROM audit_event WHERE tenant_id = $1", B)
    finally:
        for conn in (main, east, owner):
            await conn.close()


async def test_databases_at_different_revisions_are_not_copied(cells: Settings) -> None:
    main, east = await connect(cells, "system", MAIN_CELL), await connect(cells, "system", SECOND_CELL)
    owner = await connect(cells, "owner", SECOND_CELL)
    try:
        await owner.execute("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)")
        await owner.execute("INSERT INTO alembic_version VALUES ('0002')")
        with pytest.raises(SchemaMismatchError, match="migrate both"):
            await copy_district(main, east, A)
        assert all(d.rows == 0 for d in (await digest_district(east, A)).values())
    finally:
        for conn in (main, east, owner):
            await conn.close()
