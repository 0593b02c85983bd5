"""Level schemas, the party tree and its links, dual-network fusion, subtree queries and structure history."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from shared.clock import china_today
from shared.settings import Settings
from tests.orgtree.builders import Api, build_slice, outbox
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer


async def test_rural_and_urban_level_schemas_load_in_two_districts(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    rural = Api(client, bearer(issuer, district_a.id, ["district_admin"]))
    urban = Api(client, bearer(issuer, district_b.id, ["district_admin"]))
    schema = await urban.call("PUT", "/levels/administrative", 200, json={"template": "urban"})
    assert [level["code"] for level in schema["levels"]] == [
        "district",
        "street",
        "community",
        "building",
        "mall_group",
    ]
    b_root = {"id": str(district_b.root.id)}
    street = await urban.unit(b_root, "street", "某街道")
    community = await urban.unit(street, "community", "某社区")
    building = await urban.unit(community, "building", "金融大厦")
    await urban.unit(building, "mall_group", "一楼商场")
    no_village = await urban.post("/nodes", {"parentId": street["id"], "level": "village", "name": "x"}, 422)
    assert no_village["errors"][0]["field"] == "body.level"
    a_root = {"id": str(district_a.root.id)}
    town = await rural.unit(a_root, "town", "平山镇")
    village = await rural.unit(town, "village", "大洼村")
    await rural.unit(village, "villager_group", "李墩组")
    wrong_parent = await rural.post("/nodes", {"parentId": str(district_a.root.id), "level": "grid", "name": "x"}, 422)
    assert "cannot hang under" in wrong_parent["detail"]
    in_use = await rural.call("PUT", "/levels/administrative", 409, json={"template": "urban"})
    assert "town" in in_use["detail"]
    custom = await urban.call(
        "PUT",
        "/levels/administrative",
        422,
        json={
            "levels": [
                {"code": "district", "label": "区"},
                {"code": "zone", "label": "片区", "parents": ["nowhere"]},
            ]
        },
    )
    assert custom["errors"][0]["field"] == "body.levels"
    street_admin = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=town["path"]))
    await street_admin.call("PUT", "/levels/administrative", 403, json={"template": "urban"})


async def test_party_units_link_to_administrative_units_only(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    assert s.branch["linkedNodeId"] == s.village["id"]
    to_party = await s.admin.post(
        "/nodes",
        {"parentId": s.committee["id"], "level": "branch", "name": "x", "linkedNodeId": s.committee["id"]},
        422,
    )
    assert to_party["errors"][0]["field"] == "body.linkedNodeId"
    from_admin = await s.admin.post(
        "/nodes", {"parentId": s.village["id"], "level": "grid", "name": "x", "linkedNodeId": s.village["id"]}, 422
    )
    assert from_admin["errors"][0]["field"] == "body.linkedNodeId"
    other = Api(client, bearer(issuer, district_b.id, ["district_admin"]))
    b_party = next(n for n in (await other.get("/nodes"))["items"] if n["tree"] == "party")
    await other.post(
        "/nodes",
        {"parentId": b_party["id"], "level": "street_working_committee", "name": "x", "linkedNodeId": s.village["id"]},
        404,
    )
    special = await s.admin.unit(s.committee, "party_spirit_education_branch", "党风党性教育党支部")
    assert special["tree"] == "party"
    moved = await s.admin.post(f"/nodes/{s.branch['id']}/move", {"newParentId": s.village["id"]}, 409)
    assert "other tree" in moved["detail"]


async def test_dual_network_gives_each_grid_one_party_group(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    await s.admin.call("PATCH", "/settings", 200, json={"dualNetwork": True})
    grid = await s.admin.unit(s.village, "grid", "上河三组网格", formationBasis="surname")
    groups = (await s.admin.get(f"/nodes/{s.branch['id']}/subtree", level="party_group"))["items"]
    assert [(g["name"], g["linkedNodeId"]) for g in groups] == [("上河三组网格党小组", grid["id"])]
    orphan = await s.admin.unit(s.village2, "grid", "下河一组网格")  # 下河村 has no linked branch yet
    assert orphan["flags"] == ["no_party_group"]
    flagged = await s.admin.get(f"/nodes/{s.street['id']}/subtree", flag="no_party_group")
    assert [n["id"] for n in flagged["items"]] == [orphan["id"]]
    created = await outbox(settings, district_a.id, "orgtree.GridCreated")
    by_grid = {e["grid_id"]: e["party_group_id"] for e in created}
    assert by_grid[grid["id"]] == groups[0]["id"]
    assert by_grid[orphan["id"]] is None
    assert by_grid[s.grid["id"]] is None  # created before the district switched fusion on
    bad_basis = await s.admin.post(
        "/nodes", {"parentId": s.village["id"], "level": "grid", "name": "x", "formationBasis": "astrology"}, 422
    )
    assert bad_basis["errors"][0]["field"] == "body.formationBasis"


async def test_subtree_pages_counts_search_and_history(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    grids = [await s.admin.unit(s.village2, "grid", f"下河{i}组网格") for i in range(5)]
    await s.member(70)
    await s.household("1号")
    first = await s.admin.get(f"/nodes/{s.street['id']}/subtree", level="grid", limit=4)
    second = await s.admin.get(f"/nodes/{s.street['id']}/subtree", level="grid", limit=4, after=first["nextAfter"])
    paged = [n["id"] for n in first["items"] + second["items"]]
    assert sorted(paged) == sorted([s.grid["id"], s.grid2["id"], *(g["id"] for g in grids)])
    assert second["nextAfter"] is None
    counts = await s.admin.get(f"/nodes/{s.street['id']}/subtree-count")
    assert counts["byLevel"] == {"street": 1, "village": 2, "grid": 7}
    assert (counts["nodes"], counts["members"], counts["households"]) == (10, 1, 1)
    found = await s.admin.get("/nodes/search", q="下河", within=s.street["id"])
    assert len(found) == 6
    street_admin = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.other_street["path"]))
    assert await street_admin.get("/nodes/search", q="下河") == []
    today = china_today().isoformat()
    await s.admin.call("PATCH", f"/nodes/{grids[0]['id']}", 200, json={"name": "改名网格"})
    await s.admin.post(f"/nodes/{grids[1]['id']}/move", {"newParentId": s.village["id"]}, 200)
    await s.admin.call("DELETE", f"/nodes/{grids[2]['id']}", 204)
    before = await s.admin.get(f"/nodes/{s.village2['id']}/history", asOf="2000-01-01")
    assert before == []
    now = {v["name"] for v in await s.admin.get(f"/nodes/{s.village2['id']}/history", asOf=today)}
    assert "改名网格" in now
    assert {"下河1组网格", "下河2组网格"}.isdisjoint(now)
    not_empty = await s.admin.call("DELETE", f"/nodes/{s.village['id']}", 409)
    assert "empty" in not_empty["detail"]


async def test_network_rollup_counts_the_chain_under_a_street(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    cadres = [await s.member(80 + i, grid=None) for i in range(3)]
    members = [await s.member(90 + i) for i in range(4)] + [await s.member(95, grid=s.grid2)]
    far = await s.member(96, grid=s.far_grid)
    for household in range(7):
        await s.household(f"户{household}", grid=s.grid if household % 2 else s.grid2)
    await s.household("永中户", grid=s.far_grid)
    await s.admin.post(
        "/cadre-postings", {"kind": "stationed", "memberId": cadres[0]["id"], "villageId": s.village["id"]}
    )
    await s.admin.post(
        "/cadre-postings", {"kind": "stationed", "memberId": cadres[0]["id"], "villageId": s.village2["id"]}
    )
    await s.admin.post(
        "/cadre-postings",
        {
            "kind": "village",
            "memberId": cadres[1]["id"],
            "villageId": s.village["id"],
            "role": "secretary",
            "oneShoulder": True,
        },
    )
    await s.admin.post(
        "/cadre-postings",
        {"kind": "village", "memberId": cadres[2]["id"], "villageId": s.village["id"], "crossAppointed": True},
    )
    not_village = await s.admin.post(
        "/cadre-postings", {"kind": "stationed", "memberId": cadres[0]["id"], "villageId": s.grid["id"]}, 422
    )
    assert not_village["errors"][0]["field"] == "body.villageId"
    await s.admin.call("PUT", f"/grids/{s.grid['id']}/leader", 200, json={"memberId": members[0]["id"]})
    await s.admin.call("PUT", f"/grids/{s.grid2['id']}/leader", 200, json={"memberId": members[4]["id"]})
    await s.admin.call("PUT", f"/grids/{s.far_grid['id']}/leader", 200, json={"memberId": far["id"]})
    rollup = await s.admin.get(f"/reports/network/{s.street['id']}")
    chain = [rollup[k] for k in ("stationedCadres", "villageCadres", "redCollarLeaders", "members", "households")]
    assert chain == [1, 2, 2, 5, 7]


async def test_guidance_report_lists_cadres_below_the_monthly_minimum(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    await s.admin.call("PATCH", "/settings", 200, json={"guidedMembersMin": 1, "guidedMembersMax": 2})
    diligent, lax = await s.member(100), await s.member(101)
    guided = [await s.member(102 + i) for i in range(3)]
    link = await s.admin.post("/guidance-links", {"cadreId": diligent["id"], "memberId": guided[0]["id"]})
    lax_link = await s.admin.post("/guidance-links", {"cadreId": lax["id"], "memberId": guided[1]["id"]})
    await s.admin.post("/guidance-links", {"cadreId": lax["id"], "memberId": guided[2]["id"]})
    over = await s.admin.post("/guidance-links", {"cadreId": lax["id"], "memberId": diligent["id"]}, 422)
    assert over["errors"][0]["field"] == "body.memberId"
    for day in ("2026-10-03", "2026-10-20"):
        await s.admin.post(f"/guidance-links/{link['id']}/contacts", {"contactedOn": day, "channel": "visit"})
    await s.admin.post(f"/guidance-links/{lax_link['id']}/contacts", {"contactedOn": "2026-10-05", "channel": "phone"})
    bad_channel = await s.admin.post(
        f"/guidance-links/{link['id']}/contacts", {"contactedOn": "2026-10-05", "channel": "telepathy"}, 422
    )
    assert bad_channel["errors"][0]["field"] == "body.channel"
    report = await s.admin.get("/reports/guidance", month="2026-10")
    assert [(c["cadreId"], c["linksBelowMinimum"]) for c in report["cadresBelowMinimum"]] == [(lax["id"], 2)]
    bad_month = await s.admin.get("/reports/guidance", month="2026-13", expect=422)
    assert bad_month["errors"][0]["field"] == "query.month"


async def test_courtyards_group_a_member_household_and_its_neighbours(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    contact = await s.member(110)
    hub = await s.household("党员户", plaque="communist_household", plaqueIssuedOn="2014-07-01")
    plain = await s.household("普通户")
    refused = await s.admin.post(
        "/groupings",
        {
            "kind": "four_harmony_courtyard",
            "name": "x",
            "anchorId": s.village["id"],
            "hubHouseholdId": plain["id"],
        },
        422,
    )
    assert refused["errors"][0]["field"] == "body.hubHouseholdId"
    courtyard = await s.admin.post(
        "/groupings",
        {
            "kind": "four_harmony_courtyard",
            "name": "上河四和院",
            "anchorId": s.village["id"],
            "contactMemberId": contact["id"],
            "hubHouseholdId": hub["id"],
            "chatGroupRef": "微信群:上河四和院",
        },
    )
    await s.admin.post(f"/groupings/{courtyard['id']}/entries", {"householdId": plain["id"]})
    again = await s.admin.post(f"/groupings/{courtyard['id']}/entries", {"householdId": plain["id"]}, 409)
    assert again["status"] == 409
    listed = await s.admin.get("/groupings", within=s.street["id"])
    assert [(g["name"], g["householdIds"]) for g in listed] == [("上河四和院", [plain["id"]])]
    other_street = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.other_street["path"]))
    await other_street.get(f"/groupings/{courtyard['id']}", expect=404)
