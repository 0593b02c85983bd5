"""GW-04: a street admin sees and edits its street, a grid leader its grid, a member self and linked households."""

from __future__ import annotations

import uuid

from litestar.testing import AsyncTestClient

from tests.orgtree.builders import Api, build_slice
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer


async def test_street_admin_reads_and_writes_only_inside_the_street(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    inside = await s.member(60)
    outside = await s.member(61, grid=s.far_grid)
    far_household = await s.household("永中1号", grid=s.far_grid)
    street = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.street["path"]))
    assert (await street.get(f"/members/{inside['id']}"))["id"] == inside["id"]
    await street.get(f"/members/{outside['id']}", expect=404)
    await street.get(f"/households/{far_household['id']}", expect=404)
    listed = await street.get("/members")
    assert [m["id"] for m in listed["items"]] == [inside["id"]]
    # writes aimed outside the street are refused as if the target did not exist; nothing changes
    await street.post("/members", {"name": "越界", "branchId": s.branch["id"], "gridId": s.far_grid["id"]}, 404)
    await street.post("/households", {"gridId": s.far_grid["id"], "label": "越界户"}, 404)
    await street.call("PATCH", f"/members/{outside['id']}", 404, json={"name": "改名"})
    await street.post("/nodes", {"parentId": s.other_street["id"], "level": "community", "name": "越界社区"}, 404)
    await street.post(f"/nodes/{s.village['id']}/move", {"newParentId": s.other_street["id"]}, 404)
    await street.call("PUT", f"/grids/{s.far_grid['id']}/leader", 404, json={"memberId": outside["id"]})
    await street.post(f"/members/{inside['id']}/households", {"householdId": far_household["id"]}, 404)
    assert (await s.admin.get(f"/members/{outside['id']}"))["name"] == "党员61"
    assert (await s.admin.get("/nodes", parentId=s.other_street["id"]))["total"] == 1
    coverage = await street.get("/reports/red-cell-coverage")
    assert coverage["members"] == 1


async def test_grid_leader_keeps_the_grids_roll_but_not_the_tree(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    mine = await s.member(62)
    neighbours = await s.member(63, grid=s.grid2)
    leader = Api(client, bearer(issuer, district_a.id, ["grid_leader"], scope=s.grid["path"]))
    assert [m["id"] for m in (await leader.get("/members"))["items"]] == [mine["id"]]
    await leader.get(f"/members/{neighbours['id']}", expect=404)
    household = await leader.post("/households", {"gridId": s.grid["id"], "label": "一组5号"})
    await leader.post(f"/members/{mine['id']}/households", {"householdId": household["id"]})
    await leader.post("/households", {"gridId": s.grid2["id"], "label": "二组5号"}, 404)
    await leader.post("/nodes", {"parentId": s.grid["id"], "level": "grid", "name": "子网格"}, 403)


async def test_a_member_sees_self_and_linked_households_only(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    account = uuid.uuid4()
    me = await s.member(64, userId=str(account))
    other = await s.member(65)
    served = await s.household("我联系的户")
    not_served = await s.household("别人联系的户")
    await s.admin.post(f"/members/{me['id']}/households", {"householdId": served["id"]})
    member = Api(client, bearer(issuer, district_a.id, ["member"], user_id=account))
    assert (await member.get("/members/me"))["id"] == me["id"]
    assert [m["id"] for m in (await member.get("/members"))["items"]] == [me["id"]]
    await member.get(f"/members/{other['id']}", expect=404)
    assert (await member.get(f"/households/{served['id']}"))["id"] == served["id"]
    await member.get(f"/households/{not_served['id']}", expect=404)
    assert [h["id"] for h in (await member.get("/households"))["items"]] == [served["id"]]
    await member.post(f"/households/{served['id']}/events", {"kind": "hardship", "occurredOn": "2026-11-20"})
    await member.post("/members", {"name": "x", "branchId": s.branch["id"]}, 403)
    await member.get("/nodes", expect=403)
    await member.get("/reports/red-cell-coverage", expect=403)


async def test_another_districts_households_grids_links_and_reports_are_404(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    member, other_member = await s.member(66), await s.member(67)
    household = await s.household("甲区户", phone="13800000066")
    await s.admin.post(f"/members/{member['id']}/households", {"householdId": household["id"]})
    guidance = await s.admin.post("/guidance-links", {"cadreId": member["id"], "memberId": other_member["id"]})
    posting = await s.admin.post(
        "/cadre-postings", {"kind": "stationed", "memberId": member["id"], "villageId": s.village["id"]}
    )
    courtyard = await s.admin.post(
        "/groupings", {"kind": "red_cell_cluster", "name": "甲区团", "anchorId": s.village["id"]}
    )
    b = Api(client, bearer(issuer, district_b.id, ["district_admin"]))
    await b.get(f"/households/{household['id']}", expect=404)
    await b.call("PATCH", f"/households/{household['id']}", 404, json={"label": "改"})
    await b.post(f"/households/{household['id']}/reveal", {"field": "phone", "purpose": "核实"}, 404)
    await b.post(f"/households/{household['id']}/events", {"kind": "moved", "occurredOn": "2026-01-01"}, 404)
    await b.get(f"/households/{household['id']}/members", expect=404)
    assert await b.post("/households/lookup", {"phone": "13800000066"}, 200) == []
    await b.post("/households", {"gridId": s.grid["id"], "label": "越区"}, 404)
    await b.get(f"/members/{member['id']}/households", expect=404)
    await b.call("DELETE", f"/members/{member['id']}/households/{household['id']}", 404)
    await b.call("PUT", f"/grids/{s.grid['id']}/leader", 404, json={"memberId": member["id"]})
    await b.get(f"/grids/{s.grid['id']}/leader", expect=404)
    await b.post(f"/guidance-links/{guidance['id']}/contacts", {"contactedOn": "2026-01-01", "channel": "visit"}, 404)
    await b.call("DELETE", f"/cadre-postings/{posting['id']}", 404)
    await b.get(f"/groupings/{courtyard['id']}", expect=404)
    await b.get(f"/reports/network/{s.street['id']}", expect=404)
    await b.get("/reports/red-cell-coverage", within=s.street["id"], expect=404)
    await b.get(f"/nodes/{s.street['id']}/subtree", expect=404)
    await b.get("/members/roll", branchId=s.branch["id"], asOf="2026-01-01", expect=404)
    # nothing of district A changed
    assert [h["id"] for h in await s.admin.get(f"/members/{member['id']}/households")] == [household["id"]]
    assert (await s.admin.get(f"/households/{household['id']}"))["label"] == "甲区户"
    await s.admin.get(f"/grids/{s.grid['id']}/leader", expect=404)  # B's appointment did not land
    assert await s.admin.get(f"/guidance-links/{guidance['id']}/contacts") == []
    assert len(await s.admin.get("/cadre-postings")) == 1


async def test_missing_fields_are_named(client: AsyncTestClient, issuer: TestIssuer, district_a: District) -> None:
    s = await build_slice(client, issuer, district_a)
    cases = [
        ("/households", {"label": "无网格"}, "gridId"),
        ("/members", {"name": "无支部"}, "branchId"),
        ("/cadre-postings", {"kind": "stationed", "villageId": s.village["id"]}, "memberId"),
        ("/groupings", {"kind": "four_harmony_courtyard", "name": "x"}, "anchorId"),
        ("/guidance-links", {"cadreId": s.branch["id"]}, "memberId"),
    ]
    for path, body, field in cases:
        problem = await s.admin.post(path, body, 422)
        assert field in problem["detail"], path
    assert (await s.admin.get("/households", within=s.street["id"]))["items"] == []
