"""Huaining's dual network in the demo (怀宁县, seed 002): the grid party groups' instructors with the groups still
short of theirs, posts claimed with their history, star levels on the units, the named communities' Red Flag
titles and elections, and the members without organisational life, all read back through the API."""

from __future__ import annotations

import uuid

import pytest
from litestar.testing import AsyncTestClient

from tests.orgtree.builders import Api
from tests.orgtree.conftest import bearer
from tests.platform.demo import LoadedDemo
from tests.platform.tokens import TestIssuer

# The first test to ask for ``orgtree_demo`` loads the demo districts' trees (1-2 minutes) within its time.
pytestmark = pytest.mark.timeout(600)


async def test_the_huaining_demo_tells_the_dual_network(
    client: AsyncTestClient, issuer: TestIssuer, orgtree_demo: LoadedDemo
) -> None:
    tenant = orgtree_demo.tenants["huaining-county"]
    admin = Api(client, bearer(issuer, uuid.UUID(tenant["id"]), ["district_admin"]))

    gaps = await admin.get("/instructors/gaps")
    assert gaps["groups"] == 243
    short = {(r["source"], r["shortBy"]) for r in gaps["rows"]}
    assert short == {("township", 1), ("community_branch", 1)}
    assert len(gaps["rows"]) == 24 + 20  # one group in ten waits for its township instructor, one in twelve for its own
    community = next(n for n in await admin.get("/nodes/search", q="凉亭社区") if n["level"] == "community")
    grid = next(n for n in await admin.get("/nodes/search", q="董屋组") if n["level"] == "grid")
    group = await admin.get(f"/nodes/{grid['id']}/instructors")
    assert sorted(i["source"] for i in group["instructors"]) == ["community_branch", "township"]

    posts = await admin.get("/reports/unposted-members/by-unit")
    assert posts["withoutPost"] == 83  # one member without office in every third village
    assert sum(u["withoutOffice"] for u in posts["units"]) == 243 * 4
    second = (await admin.get("/members", within=grid["id"], limit=10))["items"]
    histories = [len((await admin.get(f"/members/{m['id']}/posts"))["claims"]) for m in second]
    assert max(histories) == 2  # the first village's second member changed post once

    branch = next(n for n in await admin.get("/nodes/search", q="凉亭社区党总支") if n["tree"] == "party")
    honours = await admin.get(f"/nodes/{branch['id']}/honours")
    assert [s["period"] for s in honours["starLevels"]] == ["2025", "2024"]
    assert honours["starLevel"]["level"] == honours["starLevels"][0]["level"]
    coverage = await admin.get("/red-flag/coverage")
    assert coverage["communities"] == 2
    assert [(y["year"], y["holding"], y["percent"]) for y in coverage["years"]] == [
        (2020, 0, 0.0),
        (2021, 1, 50.0),
        (2022, 2, 100.0),
    ]
    [election] = await admin.get(f"/nodes/{branch['id']}/elections")
    assert (election["seats"], election["elected"], len(election["rounds"]), election["complete"]) == (3, 3, 2, True)
    groups = await admin.get(f"/nodes/{community['id']}/broadcast-groups")
    assert len(groups["groups"][0]["members"]) == 5

    inactive = await admin.get("/reports/inactive-members", limit=2000)
    # one member in nine last took part 200 days or more ago; the 30 township cadres have no attendance on record
    assert len(inactive["members"]) == 135 + 30
    assert all(m["monthsInactive"] >= 6 for m in inactive["members"])
