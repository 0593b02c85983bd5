"""Instructors of grid party groups (ORG-11): one from the township and one from the community's branch by default
(the district may ask for more), reached by the group's id or its grid's; the report of groups short of theirs;
bad input refused naming the field, another district's or street's ids a 404."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.orgtree.builders import Api, Slice, build_slice, id_card, mobile
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer


async def fused(s: Slice, name: str = "上河三组网格") -> dict[str, Any]:
    """A grid made with dual-network fusion on: it gets its party group under the village's branch."""
    await s.admin.call("PATCH", "/settings", 200, json={"dualNetwork": True})
    return await s.admin.unit(s.village, "grid", name)


async def township_cadre(s: Slice, serial: int) -> dict[str, Any]:
    body = {
        "name": f"乡镇干部{serial}",
        "branchId": s.organ_branch["id"],
        "idCard": id_card(serial),
        "phone": mobile(serial),
        "gridId": None,
    }
    created: dict[str, Any] = await s.admin.post("/members", body)
    return created


async def test_a_grid_group_gets_its_two_instructors_and_leaves_the_gaps_report(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    grid = await fused(s)
    await fused(s, "上河四组网格")
    gaps = await s.admin.get("/instructors/gaps")
    assert (gaps["groups"], gaps["groupsLacking"]) == (2, 2)
    assert sorted((r["gridName"], r["source"], r["shortBy"]) for r in gaps["rows"]) == [
        ("上河三组网格", "community_branch", 1),
        ("上河三组网格", "township", 1),
        ("上河四组网格", "community_branch", 1),
        ("上河四组网格", "township", 1),
    ]

    cadre = await township_cadre(s, 301)
    local = await s.member(302)
    path = f"/nodes/{grid['id']}/instructors"
    first = await s.admin.post(path, {"memberId": cadre["id"], "source": "township", "since": "2026-03-01"})
    assert (first["memberName"], first["current"]) == ("乡镇干部301", True)
    await s.admin.post(path, {"memberId": local["id"], "source": "community_branch", "since": "2026-03-01"})

    group = await s.admin.get(path)
    assert (group["gridName"], group["groupName"]) == ("上河三组网格", "上河三组网格党小组")
    assert (group["requiredFromTownship"], group["requiredFromBranch"]) == (1, 1)
    assert sorted((i["memberName"], i["source"]) for i in group["instructors"]) == [
        ("乡镇干部301", "township"),
        ("党员302", "community_branch"),
    ]
    same = await s.admin.get(f"/nodes/{group['groupId']}/instructors")  # by the group's own id
    assert len(same["instructors"]) == 2

    gaps = await s.admin.get("/instructors/gaps")
    assert [r["gridName"] for r in gaps["rows"]] == ["上河四组网格", "上河四组网格"]
    assert (gaps["groups"], gaps["groupsLacking"]) == (2, 1)

    # a second township instructor waits for the first to stand down
    second = await township_cadre(s, 303)
    await s.admin.post(path, {"memberId": second["id"], "source": "township", "since": "2026-04-01"}, 409)
    ended = await s.admin.call("PATCH", f"/instructors/{first['id']}", 200, json={"until": "2026-05-31"})
    assert (ended["until"], ended["current"]) == ("2026-05-31", False)
    await s.admin.post(path, {"memberId": second["id"], "source": "township", "since": "2026-06-01"})
    history = (await s.admin.get(path))["instructors"]
    assert [(i["memberName"], i["current"]) for i in history if i["source"] == "township"] == [
        ("乡镇干部303", True),
        ("乡镇干部301", False),
    ]

    # the district asks for two from the branch: the group is short again
    await s.admin.call("PATCH", "/settings", 200, json={"instructorsFromBranch": 2})
    gaps = await s.admin.get("/instructors/gaps", within=s.village["id"])
    assert ("上河三组网格", "community_branch", 2, 1) in [
        (r["gridName"], r["source"], r["required"], r["actual"]) for r in gaps["rows"]
    ]


async def test_bad_assignments_are_refused_naming_the_field_and_nothing_is_stored(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    grid = await fused(s)
    cadre = await township_cadre(s, 311)
    local = await s.member(312)
    path = f"/nodes/{grid['id']}/instructors"

    async def field_of(body: dict[str, Any], at: str = path) -> list[str]:
        problem = await s.admin.post(at, {"since": "2026-03-01", **body}, 422)
        return [e["field"] for e in problem["errors"]]

    assert await field_of({"memberId": cadre["id"], "source": "mentor"}) == ["body.source"]
    assert await field_of({"memberId": cadre["id"], "source": "township", "since": "2999-01-01"}) == ["body.since"]
    assert await field_of({"memberId": cadre["id"], "source": "township", "since": "not a day"}) == ["body.since"]
    assert await field_of({"memberId": "x", "source": "township"}) == ["body.memberId"]
    assert await field_of({"memberId": local["id"], "source": "township"}) == [
        "body.memberId"
    ]  # the group's own branch
    assert await field_of({"memberId": cadre["id"], "source": "community_branch"}) == ["body.memberId"]
    assert await field_of({"memberId": cadre["id"], "source": "township", "extra": 1}) == ["body.extra"]
    assert await field_of({"memberId": cadre["id"], "source": "township"}, f"/nodes/{s.village['id']}/instructors") == [
        "path.nodeId"
    ]
    assert await field_of({"memberId": cadre["id"], "source": "township"}, f"/nodes/{s.grid['id']}/instructors") == [
        "path.nodeId"
    ]  # made before fusion: no party group
    assert (await s.admin.get(path))["instructors"] == []
    bad_end = await s.admin.post(path, {"memberId": cadre["id"], "source": "township", "since": "2026-03-01"})
    await s.admin.call("PATCH", f"/instructors/{bad_end['id']}", 422, json={"until": "2026-01-01"})
    problem = await s.admin.call("PATCH", f"/instructors/{bad_end['id']}", 422, json={"until": 20260101})
    assert [e["field"] for e in problem["errors"]] == ["body.until"]


async def test_other_districts_and_streets_are_404(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    other = await build_slice(client, issuer, district_b)
    grid = await fused(s)
    their_grid = await fused(other)
    cadre = await township_cadre(s, 321)
    theirs = await township_cadre(other, 322)
    body = {"memberId": cadre["id"], "source": "township", "since": "2026-03-01"}
    await s.admin.post(f"/nodes/{their_grid['id']}/instructors", body, 404)
    await s.admin.get(f"/nodes/{their_grid['id']}/instructors", 404)
    await s.admin.post(f"/nodes/{grid['id']}/instructors", {**body, "memberId": theirs["id"]}, 404)
    await s.admin.get("/instructors/gaps", 404, within=their_grid["id"])
    assigned = await s.admin.post(f"/nodes/{grid['id']}/instructors", body)
    await other.admin.call("PATCH", f"/instructors/{assigned['id']}", 404, json={"until": "2026-05-01"})

    far = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.other_street["path"]))
    await far.get(f"/nodes/{grid['id']}/instructors", 404)
    await far.call("PATCH", f"/instructors/{assigned['id']}", 404, json={"until": "2026-05-01"})
    assert (await far.get("/instructors/gaps"))["groups"] == 0
    near = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.street["path"]))
    assert len((await near.get(f"/nodes/{grid['id']}/instructors"))["instructors"]) == 1
    assert (await near.get("/instructors/gaps"))["groups"] == 1
