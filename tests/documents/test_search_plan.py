"""Why search runs as the system role: under RLS the GIN index cannot serve ``@@`` (it is not leakproof), while
the same query with the district written into it uses the index (architecture.md, section 3)."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy import Select, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.search.query import SearchFilters, search_statement
from services.documents.search.words import query_words
from shared.auth.principal import Principal
from shared.db.engine import make_engine
from shared.db.urls import admin_url, database_name, plain_dsn
from shared.settings import Settings
from tests.documents.builders import District
from tests.documents.search_builders import indexed

GIN = "ix_document_search_vector"


def sql(statement: Select[tuple[object, ...]], dialect: Dialect) -> str:
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


FILLER = (
    "INSERT INTO document (tenant_id, id, type_code, title, anchor_path, state, current_version, fields, "
    "retention_class, immutable, legal_hold) SELECT :tenant, gen_random_uuid(), 'minutes', '会议纪要' || i, :path, "
    "'active', 1, '{}', 'ten_years', false, false FROM generate_series(1, 2000) AS i",
    "INSERT INTO document_search (tenant_id, document_id, vector, body, body_version, extraction) "
    "SELECT tenant_id, id, to_tsvector('simple', '会议 纪要 ' || title), '', 0, 'none' FROM document "
    "WHERE title LIKE '会议纪要%'",
)


async def test_the_search_uses_the_gin_index_only_outside_rls(settings: Settings, district_a: District) -> None:
    for n in range(5):
        await indexed(district_a, f"第{n}网格党员考绩月报表", street=n % 2)

    async def fill(session: AsyncSession) -> None:
        # a district's worth of other documents, so that the word is selective and the tenant is not
        for statement in FILLER:
            await session.execute(text(statement), {"tenant": district_a.id, "path": district_a.streets[0]})

    await district_a.run(fill)
    admin = await asyncpg.connect(plain_dsn(admin_url(settings, database_name("documents"))))
    try:
        # VACUUM empties the GIN index's pending list (new entries wait there, and the planner prices them)
        await admin.execute("VACUUM ANALYZE document_search")
        await admin.execute("ANALYZE document")
    finally:
        await admin.close()
    principal = Principal(
        user_id=uuid.uuid4(), tenant_id=district_a.id, roles=frozenset({"street_admin"}), scope=district_a.streets[0]
    )
    statement = sql(
        search_statement(
            district_a.id, principal, query_words("党员考绩"), filters=SearchFilters(), limit=21, candidates=1000
        ),
        district_a.engine.dialect,
    )

    async def plan(session: AsyncSession) -> str:
        # a handful of rows would be read sequentially anyway: ask for the best index plan there is
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        return "\n".join(await session.scalars(text(f"EXPLAIN {statement}")))

    under_rls = await district_a.run(plan)
    assert GIN not in under_rls, under_rls

    system = make_engine(settings, "documents", "system", pool_size=1)
    try:
        async with system.connect() as connection:
            await connection.execute(text("SET enable_seqscan = off"))
            explained = "\n".join(row[0] for row in await connection.execute(text(f"EXPLAIN {statement}")))
    finally:
        await system.dispose()
    assert f"Bitmap Index Scan on {GIN}" in explained, explained
