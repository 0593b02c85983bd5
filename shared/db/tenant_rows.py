"""One district's rows of one component's database, taken as a whole: copied to another PostgreSQL cluster when
the district moves to another database cell (``shared/db/cells.py``), compared, and deleted from the old one.

The district's tables are those of the ``public`` schema with a ``tenant_id`` column: every tenant-owned table,
and the kernel's outbox, inbox and audit trail. They are written parents first (the foreign keys between them)
and deleted children first. Rows travel as COPY's binary format, streamed from one connection to the other, so a
large district never sits in memory. Both ends must be at the same schema revision (checked first).

The connections are the component's system role (BYPASSRLS); the district is set on them all the same, so a
mistake in a query can only ever reach that district's rows.
"""

from __future__ import annotations

import asyncio
import graphlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID

import asyncpg

# Tables holding a district's rows; a partition is read and written through its parent.
_TABLES = """
SELECT c.relname
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
"""
_FOREIGN_KEYS = """
SELECT child.relname AS child, parent.relname AS parent
FROM pg_constraint k
JOIN pg_class child ON child.oid = k.conrelid
JOIN pg_class parent ON parent.oid = k.confrelid
JOIN pg_namespace n ON n.oid = k.connamespace
WHERE k.contype = 'f' AND n.nspname = 'public' AND k.conrelid <> k.confrelid
"""
# The columns COPY writes, and the identity columns it leaves out: generated columns are computed by the target,
# identity numbers (the outbox's publishing order) are the target cluster's own, given in the source's order.
_COLUMNS = """
SELECT a.attname, a.attidentity <> '' AS numbered
FROM pg_attribute a
WHERE a.attrelid = ('public.' || quote_ident($1))::regclass AND a.attnum > 0 AND NOT a.attisdropped
  AND a.attgenerated = ''
ORDER BY a.attnum
"""
_REVISION = "SELECT version_num FROM alembic_version"


class SchemaMismatchError(RuntimeError):
    """The two databases are not at the same schema revision: their rows cannot be copied as they are."""


@dataclass(frozen=True, slots=True)
class TableDigest:
    """A table's rows of one district: how many, and a digest of their text that two clusters can compare."""

    rows: int
    digest: str


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def district_tables(conn: asyncpg.Connection) -> list[str]:
    """The tables holding a district's rows, parents before children."""
    tables = {row["relname"] for row in await conn.fetch(_TABLES)}
    order: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter(dict.fromkeys(sorted(tables), ()))
    for row in await conn.fetch(_FOREIGN_KEYS):
        if row["child"] in tables and row["parent"] in tables:
            order.add(row["child"], row["parent"])
    return list(order.static_order())  # a cycle raises graphlib.CycleError: no order would load it


async def _columns(conn: asyncpg.Connection, table: str) -> tuple[list[str], str]:
    """The columns to copy, and the ORDER BY that keeps the source's numbering order (or nothing)."""
    rows = await conn.fetch(_COLUMNS, table)
    numbered = [_ident(row["attname"]) for row in rows if row["numbered"]]
    return [row["attname"] for row in rows if not row["numbered"]], (
        f" ORDER BY {', '.join(numbered)}" if numbered else ""
    )


async def _bind(conn: asyncpg.Connection, tenant: UUID) -> None:
    # Row text must read the same on both clusters: the same zone and date style, whatever the servers' defaults.
    await conn.execute("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 1")
    await conn.execute("SELECT set_config('app.tenant_id', $1, false)", str(tenant))


async def _revision(conn: asyncpg.Connection) -> str | None:
    if await conn.fetchval("SELECT to_regclass('alembic_version')") is None:
        return None  # a database made without alembic (the kernel's tests)
    return await conn.fetchval(_REVISION)  # type: ignore[no-any-return]


async def same_revision(source: asyncpg.Connection, target: asyncpg.Connection) -> str:
    """The schema revision both databases are at; ``SchemaMismatchError`` if they differ."""
    ours, theirs = await _revision(source), await _revision(target)
    if ours != theirs:
        msg = f"the source database is at revision {ours}, the target at {theirs}: migrate both first"
        raise SchemaMismatchError(msg)
    return str(ours)


async def _copy_table(source: asyncpg.Connection, target: asyncpg.Connection, table: str, tenant: UUID) -> int:
    columns, order = await _columns(source, table)
    listed = ", ".join(_ident(c) for c in columns)
    chunks: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=16)

    async def produce() -> None:
        try:
            await source.copy_from_query(
                f"SELECT {listed} FROM {_ident(table)} WHERE tenant_id = $1{order}",  # noqa: S608 - catalogue names
                tenant,
                output=chunks.put,
                format="binary",
            )
        finally:
            await chunks.put(None)

    async def stream() -> AsyncIterator[bytes]:
        while (chunk := await chunks.get()) is not None:
            yield chunk

    producer = asyncio.create_task(produce())
    try:
        status = await target.copy_to_table(table, source=stream(), columns=columns, format="binary")
    finally:
        if not producer.done():
            producer.cancel()
        await asyncio.gather(producer, return_exceptions=True)
    producer.result()  # a failed read fails the copy, even if the target took what came before it
    return int(status.split()[-1])


async def copy_district(source: asyncpg.Connection, target: asyncpg.Connection, tenant: UUID) -> dict[str, int]:
    """Copy every row of ``tenant`` from ``source`` to ``target`` in one transaction on the target (all or nothing);
    the target must hold none of the district's rows yet. Returns the rows copied per table."""
    await same_revision(source, target)
    await _bind(source, tenant)
    await _bind(target, tenant)
    tables = await district_tables(source)
    copied: dict[str, int] = {}
    async with source.transaction(isolation="repeatable_read", readonly=True), target.transaction():
        for table in tables:
            present = await target.fetchval(
                f"SELECT count(*) FROM {_ident(table)} WHERE tenant_id = $1",  # noqa: S608 - catalogue name
                tenant,
            )
            if present:
                msg = f"the target already holds {present} rows of this district in {table}"
                raise RuntimeError(msg)
            copied[table] = await _copy_table(source, target, table, tenant)
    return copied


async def digest_district(conn: asyncpg.Connection, tenant: UUID) -> dict[str, TableDigest]:
    """Each table's count and digest of ``tenant``'s rows (rows as text, sorted, hashed): equal digests on two
    clusters mean the same rows."""
    await _bind(conn, tenant)
    digests: dict[str, TableDigest] = {}
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        for table in await district_tables(conn):
            columns, _ = await _columns(conn, table)
            listed = ", ".join(_ident(c) for c in columns)
            row = await conn.fetchrow(
                f"SELECT count(*) AS rows, md5(coalesce(string_agg(r, '' ORDER BY r), '')) AS digest "  # noqa: S608
                f"FROM (SELECT md5(t::text) AS r FROM (SELECT {listed} FROM {_ident(table)} "
                "WHERE tenant_id = $1) t) rows",
                tenant,
            )
            assert row is not None
            digests[table] = TableDigest(int(row["rows"]), str(row["digest"]))
    return digests


async def delete_district(conn: asyncpg.Connection, tenant: UUID) -> dict[str, int]:
    """Delete every row of ``tenant`` (children first) in one transaction. The audit trail is append-only for every
    role: its trigger is set aside for this one statement, inside the transaction, so no other session ever writes
    while it is off (ALTER TABLE holds its lock to the commit). Needs the table owner's role."""
    await _bind(conn, tenant)
    deleted: dict[str, int] = {}
    async with conn.transaction():
        tables = await district_tables(conn)
        append_only = {
            row["tgrelid"]: row["tgname"]
            for row in await conn.fetch(
                "SELECT c.relname AS tgrelid, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE '%\\_append\\_only' AND NOT t.tgisinternal"
            )
        }
        for table in reversed(tables):
            trigger = append_only.get(table)
            if trigger:
                await conn.execute(f"ALTER TABLE {_ident(table)} DISABLE TRIGGER {_ident(trigger)}")
            status = await conn.execute(f"DELETE FROM {_ident(table)} WHERE tenant_id = $1", tenant)  # noqa: S608
            if trigger:
                await conn.execute(f"ALTER TABLE {_ident(table)} ENABLE TRIGGER {_ident(trigger)}")
            deleted[table] = int(status.split()[-1])
    return deleted
