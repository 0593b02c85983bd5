"""Breadcrumbs, subtree counts and moves over the text-path tree, through the orgtree API."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from shared.context import tenant_scope
from shared.db.engine import make_sessionmaker
from shared.db.urls import database_url
from shared.settings import Settings
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer

ADMIN = ["district_admin"]


async def add(client: AsyncTestClient, headers: dict[str, str], parent: str, level: str, name: str) -> dict[str, Any]:
    response = await client.post(
        "/api/orgtree/nodes", json={"parentId": parent, "level": level, "name": name}, headers=headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_breadcrumbs_counts_and_moves(client: AsyncTestClient, issuer: TestIssuer, district_a: District) -> None:
    h = bearer(issuer, district_a.id, ADMIN)
    root = str(district_a.root.id)
    yaoxi = await add(client, h, root, "street", "瑶溪街道")
    haicheng = await add(client, h, root, "street", "海城街道")
    village = await add(client, h, yaoxi["id"], "village", "新川村")
    grid = await add(client, h, village["id"], "grid", "第一网格")

    crumbs = (await client.get(f"/api/orgtree/nodes/{grid['id']}/ancestors", headers=h)).json()
    assert [c["name"] for c in crumbs] == ["龙湾区", "瑶溪街道", "新川村", "第一网格"]
    count = (await client.get(f"/api/orgtree/nodes/{yaoxi['id']}/subtree-count", headers=h)).json()
    assert count["nodes"] == 3

    moved = await client.post(
        f"/api/orgtree/nodes/{village['id']}/move", json={"newParentId": haicheng["id"]}, headers=h
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["path"].startswith(haicheng["path"])
    crumbs = (await client.get(f"/api/orgtree/nodes/{grid['id']}/ancestors", headers=h)).json()
    assert [c["name"] for c in crumbs] == ["龙湾区", "海城街道", "新川村", "第一网格"]
    assert (await client.get(f"/api/orgtree/nodes/{yaoxi['id']}/subtree-count", headers=h)).json()["nodes"] == 1
    assert (await client.get(f"/api/orgtree/nodes/{haicheng['id']}/subtree-count", headers=h)).json()["nodes"] == 3

    # a street admin of 瑶溪 sees breadcrumbs from the street down only
    street = bearer(issuer, district_a.id, ["street_admin"], scope=haicheng["path"])
    crumbs = (await client.get(f"/api/orgtree/nodes/{grid['id']}/ancestors", headers=street)).json()
    assert [c["name"] for c in crumbs] == ["海城街道", "新川村", "第一网格"]


async def test_moves_that_are_refused(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    h = bearer(issuer, district_a.id, ADMIN)
    root = str(district_a.root.id)
    street = await add(client, h, root, "street", "永中街道")
    village = await add(client, h, street["id"], "village", "沙城村")
    other = await add(client, h, root, "street", "状元街道")

    cycle = await client.post(f"/api/orgtree/nodes/{street['id']}/move", json={"newParentId": village["id"]}, headers=h)
    assert cycle.status_code == 409
    assert cycle.headers["content-type"].startswith("application/problem+json")
    onto_itself = await client.post(
        f"/api/orgtree/nodes/{street['id']}/move", json={"newParentId": street["id"]}, headers=h
    )
    assert onto_itself.status_code == 409
    the_root = await client.post(f"/api/orgtree/nodes/{root}/move", json={"newParentId": street["id"]}, headers=h)
    assert the_root.status_code == 409
    # another district's parent is not found, and nothing moved
    foreign = await client.post(
        f"/api/orgtree/nodes/{village['id']}/move", json={"newParentId": str(district_b.root.id)}, headers=h
    )
    assert foreign.status_code == 404
    # a street admin cannot move a unit into a street it does not administer
    street_admin = bearer(issuer, district_a.id, ["street_admin"], scope=street["path"])
    outside = await client.post(
        f"/api/orgtree/nodes/{village['id']}/move", json={"newParentId": other["id"]}, headers=street_admin
    )
    assert outside.status_code == 404
    bad = await client.post(f"/api/orgtree/nodes/{village['id']}/move", json={"newParent": other["id"]}, headers=h)
    assert bad.status_code == 422
    crumbs = (await client.get(f"/api/orgtree/nodes/{village['id']}/ancestors", headers=h)).json()
    assert [c["name"] for c in crumbs] == ["龙湾区", "永中街道", "沙城村"]


async def test_subtree_query_uses_the_path_index_under_rls(
    settings: Settings, orgtree_db: AsyncEngine, district_a: District
) -> None:
    """architecture.md section 3: a btree range on the C-collated path, pushed into the index despite RLS."""
    sessions = make_sessionmaker(orgtree_db)
    root = district_a.root
    with tenant_scope(district_a.id):
        async with sessions() as session, session.begin():
            await session.execute(
                text(
                    "INSERT INTO org_node (id, tenant_id, parent_id, tree, level, name, path) "
                    "SELECT gen_random_uuid(), :t, :p, 'administrative', 'grid', 'g' || i, "
                    "       :path || lpad(to_hex(i), 8, '0') || '/' FROM generate_series(1, 20000) AS i"
                ),
                {"t": district_a.id, "p": root.id, "path": root.path},
            )
        owner = create_async_engine(database_url(settings, "orgtree", "owner"))  # ANALYZE needs the owner
        async with owner.begin() as conn:
            await conn.execute(text("ANALYZE org_node"))
        await owner.dispose()
        async with sessions() as session, session.begin():
            plan = (
                await session.execute(
                    text("EXPLAIN (FORMAT JSON) SELECT count(*) FROM org_node WHERE path >= :p AND path < :q"),
                    {"p": root.path + "00000010/", "q": root.path + "00000020/"},
                )
            ).scalar_one()
    flat = str(plan)
    assert "uq_org_node_tenant_path" in flat
    assert "Seq Scan" not in flat
