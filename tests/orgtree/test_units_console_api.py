"""What the console's tree browser and unit pages read and send: children with their own child counts, paged; a
unit's counts (units, members, households, grids, red-cell links); and the refusals the unit forms show in words."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from tests.orgtree.builders import Api, build_slice
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer


async def test_children_carry_their_own_child_counts_and_page(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    top = await s.admin.get("/nodes", parentId=s.root["id"])
    by_name = {n["name"]: n["children"] for n in top["items"]}
    assert by_name == {"瑶溪街道": 2, "永中街道": 1}
    villages = await s.admin.get("/nodes", parentId=s.street["id"])
    assert {n["name"]: n["children"] for n in villages["items"]} == {"上河村": 2, "下河村": 0}

    first = await s.admin.get("/nodes", parentId=s.street["id"], limit=1)
    second = await s.admin.get("/nodes", parentId=s.street["id"], limit=1, offset=1)
    assert (first["total"], second["total"]) == (2, 2)
    assert {first["items"][0]["name"], second["items"][0]["name"]} == {"上河村", "下河村"}
    assert (await s.admin.get("/nodes", parentId=s.street["id"], limit=1, offset=2))["items"] == []


async def test_a_units_counts_name_its_grids_and_red_cell_links(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    member, other = await s.member(1), await s.member(2, grid=s.grid2)
    homes = [await s.household("1组1号"), await s.household("1组2号"), await s.household("2组1号", s.grid2)]
    for household in homes[:2]:
        await s.admin.post(f"/members/{member['id']}/households", {"householdId": household["id"]})
    await s.admin.post(f"/members/{other['id']}/households", {"householdId": homes[2]["id"]})

    street = await s.admin.get(f"/nodes/{s.street['id']}/subtree-count")
    assert (street["nodes"], street["members"], street["households"]) == (5, 2, 3)
    assert (street["grids"], street["links"]) == (2, 3)
    grid = await s.admin.get(f"/nodes/{s.grid2['id']}/subtree-count")
    assert (grid["grids"], grid["households"], grid["links"]) == (1, 1, 1)
    elsewhere = await s.admin.get(f"/nodes/{s.other_street['id']}/subtree-count")
    assert (elsewhere["grids"], elsewhere["links"], elsewhere["members"]) == (1, 0, 0)

    # the party tree counts by membership: the branch's members and the links they hold; no grids there
    branch = await s.admin.get(f"/nodes/{s.branch['id']}/subtree-count")
    assert (branch["members"], branch["links"], branch["grids"], branch["households"]) == (2, 3, 0, 0)
    assert (await s.admin.get(f"/nodes/{s.organ_branch['id']}/subtree-count"))["links"] == 0


async def test_counts_and_children_stay_inside_the_callers_street_and_district(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    street_admin = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.street["path"]))
    top = await street_admin.get("/nodes")
    assert [(n["name"], n["children"]) for n in top["items"]] == [("瑶溪街道", 2)]
    assert (await street_admin.get(f"/nodes/{s.village['id']}/subtree-count"))["grids"] == 2
    for path in (f"/nodes/{s.other_street['id']}/subtree-count", f"/nodes?parentId={s.other_street['id']}"):
        refused = await client.get(f"/api/orgtree{path}", headers=street_admin.headers)
        assert refused.status_code == 404
        assert refused.headers["content-type"].startswith("application/problem+json")

    other_district = bearer(issuer, district_b.id, ["district_admin"])
    for path in (f"/nodes/{s.street['id']}/subtree-count", f"/nodes?parentId={s.street['id']}"):
        refused = await client.get(f"/api/orgtree{path}", headers=other_district)
        assert refused.status_code == 404
        assert refused.headers["content-type"].startswith("application/problem+json")


async def test_the_refusals_the_unit_forms_show(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    cycle = await s.admin.post(f"/nodes/{s.street['id']}/move", {"newParentId": s.village["id"]}, expect=409)
    assert cycle["detail"] == "a unit cannot move under itself or its own descendants"
    wrong_level = await s.admin.post(f"/nodes/{s.grid['id']}/move", {"newParentId": s.street["id"]}, expect=422)
    assert wrong_level["errors"][0]["field"] == "body.level"
    await s.member(3)
    occupied = await s.admin.call("DELETE", f"/nodes/{s.grid['id']}", 409)
    assert occupied["detail"].startswith("only an empty unit can be removed")
    has_children = await s.admin.call("DELETE", f"/nodes/{s.village['id']}", 409)
    assert has_children["detail"].startswith("only an empty unit can be removed")
    assert (await s.admin.get(f"/nodes/{s.village['id']}"))["name"] == "上河村"  # nothing removed

    for body, field in (
        ({"name": 7}, "body.name"),
        ({"name": "  "}, "body.name"),
        ({"name": "新名", "level": "street"}, "body.level"),
    ):
        refused = await s.admin.call("PATCH", f"/nodes/{s.village2['id']}", 422, json=body)
        assert [e["field"] for e in refused["errors"]] == [field], refused
    not_an_id = await s.admin.post(f"/nodes/{s.village2['id']}/move", {"newParentId": "上河村"}, expect=422)
    assert [e["field"] for e in not_an_id["errors"]] == ["body.newParentId"]
    assert (await s.admin.get(f"/nodes/{s.village2['id']}"))["name"] == "下河村"

    await s.admin.call("DELETE", f"/nodes/{s.village2['id']}", 204)
    assert (await client.get(f"/api/orgtree/nodes/{s.village2['id']}", headers=s.admin.headers)).status_code == 404


async def test_level_schemas_are_read_by_staff_and_changed_by_the_district_admin_only(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    street_admin = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.street["path"]))
    schema = await street_admin.get("/levels/administrative")
    grid = next(level for level in schema["levels"] if level["code"] == "grid")
    assert grid["isGrid"] is True
    assert grid["parents"] == ["village", "community"]
    await street_admin.call("PUT", "/levels/administrative", 403, json={"template": "urban"})

    kept = [lv for lv in schema["levels"] if lv["code"] != "villager_group"]
    flag_as_text = [{**kept[0], "isGrid": "false"}, *kept[1:]]
    refused = await s.admin.call("PUT", "/levels/administrative", 422, json={"levels": flag_as_text})
    assert "isGrid" in refused["errors"][0]["field"], refused
    in_use = await s.admin.call("PUT", "/levels/administrative", 409, json={"template": "urban"})
    assert "village" in in_use["detail"]
    renamed = [{**lv, "label": "片区"} if lv["code"] == "street" else lv for lv in kept]
    changed = await s.admin.call("PUT", "/levels/administrative", 200, json={"levels": renamed})
    assert {lv["code"]: lv["label"] for lv in changed["levels"]}["street"] == "片区"
    assert "villager_group" not in {lv["code"] for lv in changed["levels"]}
