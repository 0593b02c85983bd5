"""The demo districts load, reproduce the seeds' figures, and obey the same rules as the API."""

from __future__ import annotations

import uuid
from typing import Any

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
    tenants: list[dict[str, Any]] = [
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
    points = await ouhai.get("/venues", kind="point_7171", status="certified", limit=500)
    assert len(points) == 2 * 18
    assert all(p["signage"] and p["name"].endswith("（示例）") for p in points)
    assert len(await ouhai.get("/venues", kind="centre_71", limit=500)) == 13 + 15  # every street, every community
    staffing = {(r["unitName"], r["met"]) for r in (await ouhai.get("/staffing/compliance"))["rows"]}
    assert {("丽岙街道", True), ("南白象街道", False), ("潘北社区", True), ("西山社区", False)} <= staffing
    brands = {u["unitName"]: u["brand"]["name"] for u in await ouhai.get("/brands") if u["brand"]}
    assert brands["潘桥街道"] == "红色细胞集（示例）"
    assert len(brands) == 5

    roots = {r["tree"]: r for r in (await huaining.get("/nodes"))["items"]}
    counts = await huaining.get(f"/nodes/{roots['administrative']['id']}/subtree-count")
    assert counts["byLevel"]["village"] + counts["byLevel"]["community"] == 243
    grids = counts["byLevel"]["grid"]
    party_groups = (await huaining.get(f"/nodes/{roots['party']['id']}/subtree-count"))["byLevel"]["party_group"]
    assert grids == party_groups == 243
    assert (await huaining.get("/settings"))["dualNetwork"] is True
    assert await huaining.get("/reports/unposted-members") == []


async def test_longwan_and_ouhai_get_member_volunteers_who_sign_in_and_receive_sms(
    client: AsyncTestClient, issuer: TestIssuer, settings: Settings, orgtree_db: AsyncEngine
) -> None:
    """The gateway's loader hands over the volunteer logins; orgtree makes them members of one grid, with the
    login's synthetic name and a phone of their own, and says so in the outbox like the API would."""
    names = {
        "wenzhou-longwan": ("林晓红（示例）", "陈建国（示例）", "王海燕（示例）"),
        "wenzhou-ouhai": ("周丽娟（示例）",),
    }
    tenants: list[dict[str, Any]] = []
    for slug, name in (("wenzhou-longwan", "龙湾区"), ("wenzhou-ouhai", "瓯海区")):
        volunteers = [
            {"username": f"{slug}-volunteer-{k}", "userId": str(uuid.uuid4()), "name": shown}
            for k, shown in enumerate(names[slug], start=1)
        ]
        tenants.append({"id": str(uuid.uuid4()), "slug": slug, "name": name, "volunteers": volunteers})
    lines = await load_demo(settings, tenants)
    assert sum("calls from 1" in line for line in lines) == 4  # each volunteer's household the desk can look up
    assert "household 1-1号 calls from 17200000002" in lines[1]  # the number README.md's example rings from

    longwan = tenants[0]
    admin = Api(client, bearer(issuer, uuid.UUID(longwan["id"]), ["district_admin"]))
    grid = next(n for n in await admin.get("/nodes/search", q="示例一村第一网格") if n["level"] == "grid")
    seen = []
    for volunteer in longwan["volunteers"]:
        account = uuid.UUID(volunteer["userId"])
        as_member = Api(client, bearer(issuer, uuid.UUID(longwan["id"]), ["member", "volunteer"], user_id=account))
        me = await as_member.get("/members/me")
        assert (me["id"], me["name"], me["userId"]) == (volunteer["memberId"], volunteer["name"], volunteer["userId"])
        assert me["gridId"] == grid["id"]
        assert me["phone"] == volunteer["phone"][:3] + "****" + volunteer["phone"][-4:]
        assert volunteer["gridId"] == grid["id"]
        assert (await as_member.get("/households"))["items"], "a volunteer serves households"
        seen.append(me["phone"])
    assert len(set(seen)) == 3
    updated = await outbox(settings, uuid.UUID(longwan["id"]), "orgtree.MemberUpdated")
    assert {(e["member_id"], e["user_id"]) for e in updated} == {
        (v["memberId"], v["userId"]) for v in longwan["volunteers"]
    }
    assert all(sorted(e["changed"]) == ["name", "phone", "userId"] for e in updated)
    assert not any(v["phone"] in str(updated) for v in longwan["volunteers"])

    ouhai = tenants[1]["volunteers"][0]
    found = await Api(client, bearer(issuer, uuid.UUID(tenants[1]["id"]), ["district_admin"])).get(
        f"/members/{ouhai['memberId']}"
    )
    assert (found["name"], found["userId"]) == ("周丽娟（示例）", ouhai["userId"])

    again = await load_demo(settings, tenants)  # a rerun (make dev again) changes nothing
    assert all("already loaded" in line for line in again if "org tree" in line)
    assert len(await outbox(settings, uuid.UUID(longwan["id"]), "orgtree.MemberUpdated")) == len(updated)
