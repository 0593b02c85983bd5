"""The demo districts load, reproduce the seeds' figures, and obey the same rules as the API."""

from __future__ import annotations

import uuid

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from services.orgtree.demo.loader import load_demo
from shared.settings import Settings
from tests.orgtree.builders import Api, outbox
from tests.orgtree.conftest import bearer
from tests.platform.tokens import TestIssuer


async def test_demo_districts_reproduce_the_seeds(
    client: AsyncTestClient, issuer: TestIssuer, settings: Settings, orgtree_db: AsyncEngine
) -> None:
    tenants = [
        {"id": str(uuid.uuid4()), "slug": slug, "name": name}
        for slug, name in (("wenzhou-longwan", "龙湾区"), ("wenzhou-ouhai", "瓯海区"), ("huaining-county", "怀宁县"))
    ]
    lines = await load_demo(settings, tenants)
    assert len(lines) == 3
    assert all("loaded in" in line for line in lines)
    again = await load_demo(settings, tenants)
    assert all("already loaded" in line for line in again)
    longwan, ouhai, huaining = (Api(client, bearer(issuer, uuid.UUID(t["id"]), ["district_admin"])) for t in tenants)

    yaoxi = next(n for n in await longwan.get("/nodes/search", q="瑶溪街道") if n["level"] == "street")
    rollup = await longwan.get(f"/reports/network/{yaoxi['id']}")
    assert [rollup[k] for k in ("stationedCadres", "villageCadres", "redCollarLeaders", "members", "households")] == [
        49, 92, 206, 963, 6833,
    ]  # fmt: skip
    coverage = await longwan.get("/reports/red-cell-coverage", within=yaoxi["id"])
    assert (coverage["membersOutsideRange"], coverage["unservedHouseholds"]) == (0, 0)
    assert len(await outbox(settings, uuid.UUID(tenants[0]["id"]), "orgtree.MemberCreated")) == 963 + 49 + 92

    ouhai_root = next(r for r in (await ouhai.get("/nodes"))["items"] if r["tree"] == "administrative")
    streets = await ouhai.get(f"/nodes/{ouhai_root['id']}/subtree", level="street")
    assert len(streets["items"]) == 13
    courtyards = await ouhai.get("/groupings", kind="four_harmony_courtyard")
    assert len(courtyards) == 286
    assert all(5 <= len(c["householdIds"]) <= 10 for c in courtyards)
    assert len(await ouhai.get("/groupings", kind="red_cell_cluster")) == 6

    roots = {r["tree"]: r for r in (await huaining.get("/nodes"))["items"]}
    counts = await huaining.get(f"/nodes/{roots['administrative']['id']}/subtree-count")
    assert counts["byLevel"]["village"] + counts["byLevel"]["community"] == 243
    grids = counts["byLevel"]["grid"]
    party_groups = (await huaining.get(f"/nodes/{roots['party']['id']}/subtree-count"))["byLevel"]["party_group"]
    assert grids == party_groups == 243
    assert (await huaining.get("/settings"))["dualNetwork"] is True
    assert await huaining.get("/reports/unposted-members") == []
