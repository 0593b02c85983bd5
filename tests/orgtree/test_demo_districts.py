"""The demo districts load, reproduce the seeds' figures, and obey the same rules as the API."""

from __future__ import annotations

import uuid

import pytest
from litestar.testing import AsyncTestClient

from shared.clock import china_today
from shared.settings import Settings
from tests.orgtree.builders import Api, outbox
from tests.orgtree.conftest import bearer
from tests.platform.demo import DEMO_DISTRICTS, LoadedDemo
from tests.platform.tokens import TestIssuer

# The first test to ask for ``orgtree_demo`` loads the demo districts' trees (1-2 minutes) within its time.
pytestmark = pytest.mark.timeout(600)


async def test_demo_districts_reproduce_the_seeds(
    client: AsyncTestClient, issuer: TestIssuer, settings: Settings, orgtree_demo: LoadedDemo
) -> None:
    assert sum("loaded in" in line for line in orgtree_demo.lines) == len(DEMO_DISTRICTS) == 4
    assert all("already loaded" in line for line in orgtree_demo.again if "org tree" in line)
    tenants = [orgtree_demo.tenants[slug] for slug, _ in DEMO_DISTRICTS]
    longwan, ouhai, huaining = (
        Api(client, bearer(issuer, uuid.UUID(t["id"]), ["district_admin"])) for t in tenants[:3]
    )

    yaoxi = next(n for n in await longwan.get("/nodes/search", q="瑶溪街道") if n["level"] == "street")
    rollup = await longwan.get(f"/reports/network/{yaoxi['id']}")
    chain = ("stationedCadres", "villageCadres", "redCollarLeaders", "members", "households")
    assert [rollup[k] for k in chain] == [49, 92, 206, 963, 6833]
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

    roots = {r["tree"]: r for r in (await huaining.get("/nodes"))["items"]}
    counts = await huaining.get(f"/nodes/{roots['administrative']['id']}/subtree-count")
    assert counts["byLevel"]["village"] + counts["byLevel"]["community"] == 243
    grids = counts["byLevel"]["grid"]
    party_groups = (await huaining.get(f"/nodes/{roots['party']['id']}/subtree-count"))["byLevel"]["party_group"]
    assert grids == party_groups == 243
    assert (await huaining.get("/settings"))["dualNetwork"] is True
    assert len(await huaining.get("/reports/unposted-members", limit=500)) == 83  # one in three villages: 83 of 243


async def test_longwan_and_ouhai_get_member_volunteers_who_sign_in_and_receive_sms(
    client: AsyncTestClient, issuer: TestIssuer, settings: Settings, orgtree_demo: LoadedDemo
) -> None:
    """The gateway's loader hands over the volunteer logins; orgtree makes them members of one grid, with the
    login's synthetic name and a phone of their own, and says so in the outbox like the API would; loading again
    changes nothing."""
    lines = orgtree_demo.lines
    assert sum("calls from 1" in line for line in lines) == 8  # each volunteer's household the desk can look up
    assert any("household 1-1号 calls from 17200000002" in line for line in lines)  # README.md's example

    longwan, ouhai_district = orgtree_demo.tenants["wenzhou-longwan"], orgtree_demo.tenants["wenzhou-ouhai"]
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
    assert len(set(seen)) == len(longwan["volunteers"]) == 4
    updated = await outbox(settings, uuid.UUID(longwan["id"]), "orgtree.MemberUpdated")
    assert {(e["member_id"], e["user_id"]) for e in updated} == {
        (v["memberId"], v["userId"]) for v in longwan["volunteers"]
    }
    assert all(sorted(e["changed"]) == ["name", "phone", "userId"] for e in updated)
    assert not any(v["phone"] in str(updated) for v in longwan["volunteers"])

    ouhai = ouhai_district["volunteers"][0]
    found = await Api(client, bearer(issuer, uuid.UUID(ouhai_district["id"]), ["district_admin"])).get(
        f"/members/{ouhai['memberId']}"
    )
    assert (found["name"], found["userId"]) == ("周丽娟（示例）", ouhai["userId"])

    # loaded twice, and each volunteer's member was updated once
    assert len(updated) == len(longwan["volunteers"])


async def test_xx_district_has_the_red_flag_structure_of_seed_003(
    client: AsyncTestClient, issuer: TestIssuer, orgtree_demo: LoadedDemo
) -> None:
    """XX区 [003]: ten communities in three streets, members serving 15–25 households and cadres guiding 8–15
    members, the 2020 coverage target met and 2021's missed, staffing with a street and a community short, a brand
    on every street and community, certified centres and bases, and a contested branch committee election."""
    xx = Api(client, bearer(issuer, uuid.UUID(orgtree_demo.tenants["xx-district"]["id"]), ["district_admin"]))
    root = next(r for r in (await xx.get("/nodes"))["items"] if r["tree"] == "administrative")
    levels = (await xx.get(f"/nodes/{root['id']}/subtree-count"))["byLevel"]
    assert (levels["street"], levels["community"]) == (3, 10)
    served = await xx.get("/reports/red-cell-coverage", within=root["id"])  # the grids' members
    assert (served["linksMin"], served["linksMax"], served["members"], served["households"]) == (15, 25, 10, 160)
    assert (served["membersOutsideRange"], served["unservedHouseholds"]) == (0, 0)
    guidance = (await xx.get("/reports/guidance", month=china_today().strftime("%Y-%m")))["cadresBelowMinimum"]
    assert [(c["guidedMembers"], c["linksBelowMinimum"], c["outsideRange"]) for c in guidance] == [(9, 1, False)]

    coverage = {y["year"]: y for y in (await xx.get("/red-flag/coverage"))["years"]}
    assert [(y, c["holding"], c["percent"], c["target"], c["met"]) for y, c in sorted(coverage.items())] == [
        (2020, 3, 30.0, 30, True),
        (2021, 5, 50.0, 60, False),
        (2022, 5, 50.0, 100, False),
    ]
    staffing = {
        (r["unitName"], r["role"], r["actual"], r["met"]) for r in (await xx.get("/staffing/compliance"))["rows"]
    }
    assert ("东城街道（示例）", "full_time_worker", 4, True) in staffing
    assert ("北苑街道（示例）", "full_time_worker", 3, False) in staffing
    assert ("东风社区（示例）", "reserve_cadre", 2, True) in staffing
    assert ("文化社区（示例）", "reserve_cadre", 1, False) in staffing
    assert sum(not met for *_, met in staffing) == 2
    brands = await xx.get("/brands")
    assert len(brands) == 13
    assert all(u["brand"] and u["brand"]["name"].endswith("（示例）") for u in brands)
    centres = await xx.get("/venues", kind="party_mass_service_centre")
    assert (len(centres), sum(c["status"] == "certified" and c["signage"] for c in centres)) == (13, 8)
    assert [b["status"] for b in await xx.get("/venues", kind="open_org_life_base")] == ["certified", "certified"]

    branch = next(n for n in await xx.get("/nodes/search", q="东风社区党委") if n["level"] == "branch")
    [election] = await xx.get(f"/nodes/{branch['id']}/elections")
    assert (election["seats"], len(election["candidates"]), election["competitive"], election["complete"]) == (
        3,
        5,
        True,
        True,
    )
