"""Every hot query, as the services actually issue it, is served by an index under RLS (architecture.md section 3).

The statements are captured from the engine while the service methods run, then EXPLAINed with the
same parameters in the same tenant: no sequential scan of the big tables may appear.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from services.orgtree.households.callers import CallerLookupService
from services.orgtree.households.services import HouseholdService
from services.orgtree.members.services import MemberService
from services.orgtree.nodes.services import NodeService
from services.orgtree.reports.services import ReportService
from shared.auth.principal import Principal
from shared.context import tenant_scope
from shared.db.engine import make_sessionmaker
from shared.db.urls import database_url
from shared.http.di import build_service
from shared.settings import Settings
from tests.orgtree.conftest import District

BIG_TABLES = {"org_node", "member", "household"}
SEED = [
    "INSERT INTO org_node (id, tenant_id, parent_id, tree, level, name, path, flags) "
    "SELECT gen_random_uuid(), :t, :root, 'administrative', 'street', 's' || s, :rp || lpad(to_hex(s), 8, '0') || '/', "
    "'{}' FROM generate_series(1, 20) s",
    "INSERT INTO org_node (id, tenant_id, parent_id, tree, level, name, path, flags) "
    "SELECT gen_random_uuid(), :t, p.id, 'administrative', 'community', p.name || 'c' || c, "
    "p.path || lpad(to_hex(c), 8, '0') || '/', '{}' FROM org_node p, generate_series(1, 20) c "
    "WHERE p.tenant_id = :t AND p.level = 'street' AND p.path LIKE :rp || '%'",
    "INSERT INTO org_node (id, tenant_id, parent_id, tree, level, name, path, flags) "
    "SELECT gen_random_uuid(), :t, p.id, 'administrative', 'grid', p.name || 'g' || g, "
    "p.path || lpad(to_hex(g), 8, '0') || '/', '{}' FROM org_node p, generate_series(1, 50) g "
    "WHERE p.tenant_id = :t AND p.level = 'community' AND p.path LIKE :rp || '%'",
    "INSERT INTO member (id, tenant_id, name, classification, flags, info_card, grid_id, grid_path, branch_id, "
    "branch_path) SELECT gen_random_uuid(), :t, 'm' || i, 'self_managed', '{}', '{}', g.id, g.path, :root, :rp "
    "FROM org_node g, generate_series(1, 2) i WHERE g.tenant_id = :t AND g.level = 'grid'",
    "INSERT INTO household (id, tenant_id, grid_id, grid_path, label, categories, is_member_hub) "
    "SELECT gen_random_uuid(), :t, g.id, g.path, 'h', '{}', false FROM org_node g "
    "WHERE g.tenant_id = :t AND g.level = 'grid'",
    # one red-cell link per household, to a member of its grid (the trigger copies both paths)
    "INSERT INTO household_link (id, tenant_id, member_id, household_id, since) "
    "SELECT gen_random_uuid(), :t, m.id, h.id, current_date FROM household h CROSS JOIN LATERAL (SELECT id "
    "FROM member WHERE tenant_id = :t AND grid_path = h.grid_path LIMIT 1) m WHERE h.tenant_id = :t",
]
LINK_COUNTS = {  # the index each link count reads its one range of
    "street link count": "ix_household_link_tenant_grid_path",
    "party link count": "ix_household_link_tenant_branch_path",
}


@contextmanager
def captured(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "set_config" not in statement:
            statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


def weak_scans(plan: Any) -> list[str]:
    """Scans of a big table that read all of the district's rows: sequential, or an index probed by tenant only."""
    weak: list[str] = []
    stack = [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        stack.extend(node.get("Plans", []))
        index = node.get("Index Name", "")
        table = node.get("Relation Name") or next((t for t in BIG_TABLES if t in index), None)
        if table not in BIG_TABLES:
            continue
        if node["Node Type"] == "Seq Scan":
            weak.append(f"Seq Scan on {table}")
        elif index and set(re.findall(r"\(+(\w+)\)?(?:::[\w ]+)? [=<>]", node.get("Index Cond", ""))) <= {"tenant_id"}:
            weak.append(f"{node['Node Type']} using {index} on tenant_id alone")
    return weak


def link_reads(plan: Any) -> tuple[set[str], set[str]]:
    """The tables a plan reads, and the indexes it reads household_link by."""
    tables: set[str] = set()
    indexes: set[str] = set()
    stack = [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        stack.extend(node.get("Plans", []))
        index = node.get("Index Name", "")
        tables |= {node["Relation Name"]} if "Relation Name" in node else set()
        indexes |= {index} if index.startswith("ix_household_link") else set()
    return tables, indexes


async def test_hot_queries_use_indexes_under_rls(
    settings: Settings, orgtree_db: AsyncEngine, district_a: District
) -> None:
    sessions = make_sessionmaker(orgtree_db)
    root = district_a.root
    with tenant_scope(district_a.id):
        async with sessions() as session, session.begin():
            for statement in SEED:
                await session.execute(text(statement), {"t": district_a.id, "root": root.id, "rp": root.path})
        # ANALYZE needs the owner. Not VACUUM: whether it may set the visibility map (and so whether a count is planned
        # index-only) depends on the snapshots the rest of the session holds open, and in one full run it waited out
        # the test's timeout behind another session
        owner = create_async_engine(database_url(settings, "orgtree", "owner"), isolation_level="AUTOCOMMIT")
        async with owner.connect() as conn:
            for table in (*BIG_TABLES, "household_link"):
                await conn.execute(text(f"ANALYZE {table}"))
        await owner.dispose()
        async with sessions() as session:
            first = text("SELECT id FROM org_node WHERE level = :l AND path LIKE :rp || '%' ORDER BY path LIMIT 1")
            street, community, grid = [
                (await session.execute(first, {"l": level, "rp": root.path})).scalar_one()
                for level in ("street", "community", "grid")
            ]
            party = text("SELECT id FROM org_node WHERE tree = 'party' LIMIT 1")
            party_root = (await session.execute(party)).scalar_one()
        principal = Principal(user_id=uuid.uuid4(), tenant_id=district_a.id, roles=frozenset({"district_admin"}))

        async def street_counts(s: AsyncSession) -> Any:
            service = NodeService(s, principal)
            return await service.counts(await service.get(street))

        async def street_links(s: AsyncSession) -> Any:
            service = NodeService(s, principal)
            return await service.links(await service.get(street))

        async def party_links(s: AsyncSession) -> Any:  # the seed's members have no party unit: the plan is checked
            service = NodeService(s, principal)
            return await service.links(await service.get(party_root))

        hot: dict[str, Callable[[AsyncSession], Awaitable[Any]]] = {
            "community subtree page": lambda s: NodeService(s, principal).subtree(community, limit=50),
            "grids of a street": lambda s: NodeService(s, principal).subtree(street, level="grid", limit=50),
            "street subtree counts": street_counts,
            "street link count": street_links,
            "party link count": party_links,
            "ancestors": lambda s: NodeService(s, principal).ancestors(grid),
            "members of a community": lambda s: build_service(MemberService, s, principal).page(
                within=community, limit=50
            ),
            "households of a community": lambda s: build_service(HouseholdService, s, principal).page(
                within=community, category=None, unserved=False, after=None, limit=50
            ),
            "network roll-up of a street": lambda s: build_service(ReportService, s, principal).network(street),
            "caller lookup by phone": lambda s: CallerLookupService(s, principal).lookup("13800000700"),
        }
        for name, call in hot.items():
            with captured(orgtree_db) as statements:
                async with sessions() as session, session.begin():
                    await call(session)
            assert statements, name
            async with sessions() as session, session.begin():
                connection = await session.connection()
                for statement, parameters in statements:
                    result = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
                    plan = result.scalar_one()
                    weak = weak_scans(plan)
                    assert not weak, f"{name}: {weak} in {statement}"
                    if name in LINK_COUNTS and "household_link" in statement:
                        # no join to households or members: the links' own path, one range of its index (read
                        # index-only once autovacuum has set the visibility map; a test cannot wait for that)
                        tables, indexes = link_reads(plan)
                        assert tables <= {"household_link"}, f"{name}: {plan}"
                        assert indexes == {LINK_COUNTS[name]}, f"{name}: {plan}"
