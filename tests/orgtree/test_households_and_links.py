"""Households, red-cell links within the district's range, grid leaders, household events."""

from __future__ import annotations

import asyncio

from litestar.testing import AsyncTestClient

from shared.settings import Settings
from tests.orgtree.builders import Api, build_slice, mobile, outbox
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer


async def test_household_personal_data_is_masked_and_restricted_categories_hidden_below_the_street(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    household = await s.household(
        "上河一组3号",
        headName="王建国",
        address="浙江省温州市龙湾区瑶溪街道上河村3号",
        phone=mobile(500),
        categories=["low_income", "empty_nest"],
        isMemberHub=True,
    )
    assert household["headName"] == "王**"
    assert household["phone"] == "138****0500"
    assert "上河村3号" not in household["address"]
    assert household["categories"] == ["empty_nest", "low_income"]
    grid_leader = Api(client, bearer(issuer, district_a.id, ["grid_leader"], scope=s.grid["path"]))
    seen = await grid_leader.get(f"/households/{household['id']}")
    assert seen["categories"] == ["empty_nest", "restricted"]
    bad = await s.admin.post(
        "/households",
        {"gridId": s.grid["id"], "label": "x", "categories": ["rich"], "phone": "110", "plaqueIssuedOn": "2020-01-01"},
        expect=422,
    )
    assert {e["field"] for e in bad["errors"]} == {"body.categories", "body.phone", "body.plaqueIssuedOn"}
    found = await s.admin.post("/households/lookup", {"phone": mobile(500)}, expect=200)
    assert [h["id"] for h in found] == [household["id"]]
    clear = await s.admin.post(
        f"/households/{household['id']}/reveal", {"field": "address", "purpose": "上门走访"}, expect=200
    )
    assert clear["value"] == "浙江省温州市龙湾区瑶溪街道上河村3号"


async def test_links_stay_within_the_districts_range(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    await s.admin.call("PATCH", "/settings", 200, json={"householdLinksMin": 2, "householdLinksMax": 3})
    member = await s.member(20)
    households = [await s.household(f"户{i}") for i in range(5)]
    for household in households[:3]:
        await s.admin.post(f"/members/{member['id']}/households", {"householdId": household["id"]})
    too_many = await s.admin.post(
        f"/members/{member['id']}/households", {"householdId": households[3]["id"]}, expect=422
    )
    assert too_many["errors"][0]["field"] == "body.householdId"
    assert "2–3" in too_many["errors"][0]["message"]
    twice = await s.admin.post(f"/members/{member['id']}/households", {"householdId": households[0]["id"]}, 409)
    assert "already" in twice["detail"]
    one = await s.admin.call(
        "PUT", f"/members/{member['id']}/households", 422, json={"householdIds": [households[4]["id"]]}
    )
    assert one["errors"][0]["field"] == "body.householdIds"
    served = await s.admin.get(f"/members/{member['id']}/households")
    assert sorted(h["id"] for h in served) == sorted(h["id"] for h in households[:3])
    replaced = await s.admin.call(
        "PUT",
        f"/members/{member['id']}/households",
        200,
        json={"householdIds": [households[3]["id"], households[4]["id"]]},
    )
    assert sorted(x["householdId"] for x in replaced) == sorted([households[3]["id"], households[4]["id"]])
    await s.admin.call("DELETE", f"/members/{member['id']}/households/{households[3]['id']}", 204)
    linked = await outbox(settings, district_a.id, "orgtree.HouseholdLinked")
    unlinked = await outbox(settings, district_a.id, "orgtree.HouseholdUnlinked")
    assert len(linked) == 5
    assert sorted(e["household_id"] for e in unlinked) == sorted(
        [households[0]["id"], households[1]["id"], households[2]["id"], households[3]["id"]]
    )
    coverage = await s.admin.get("/reports/red-cell-coverage", within=s.street["id"])
    assert coverage["members"] == 1
    assert coverage["membersOutsideRange"] == 1  # one household left, below the minimum of 2
    assert coverage["outsideRange"][0]["households"] == 1
    assert coverage["households"] == 5
    assert coverage["unservedHouseholds"] == 4
    assert coverage["coveragePercent"] == 20.0


async def test_concurrent_claims_cannot_overshoot_the_maximum(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    await s.admin.call("PATCH", "/settings", 200, json={"householdLinksMin": 1, "householdLinksMax": 2})
    member = await s.member(21)
    households = [await s.household(f"并发{i}") for i in range(6)]
    responses = await asyncio.gather(
        *(
            client.post(
                f"/api/orgtree/members/{member['id']}/households",
                json={"householdId": h["id"]},
                headers=s.admin.headers,
            )
            for h in households
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 201, 422, 422, 422, 422]
    assert len(await s.admin.get(f"/members/{member['id']}/households")) == 2


async def test_one_leader_per_grid(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    first, second = await s.member(30), await s.member(31)
    elsewhere = await s.member(32, grid=s.grid2)
    path = f"/grids/{s.grid['id']}/leader"
    not_in_grid = await s.admin.call("PUT", path, 422, json={"memberId": elsewhere["id"]})
    assert not_in_grid["errors"][0]["field"] == "body.memberId"
    appointed = await s.admin.call("PUT", path, 200, json={"memberId": first["id"]})
    assert appointed["memberId"] == first["id"]
    refused = await s.admin.call("PUT", path, 409, json={"memberId": second["id"]})
    assert "already has its leader" in refused["detail"]
    assert (await s.admin.get(path))["memberId"] == first["id"]
    moving_leader = await s.admin.call("PATCH", f"/members/{first['id']}", 409, json={"gridId": s.grid2["id"]})
    assert "leads a grid" in moving_leader["detail"]
    await s.admin.call("DELETE", path, 204)
    await s.admin.call("PUT", path, 200, json={"memberId": second["id"], "kind": "party_group_leader"})
    changes = await outbox(settings, district_a.id, "orgtree.GridLeaderChanged")
    assert [(c["member_id"], c["previous_member_id"]) for c in changes] == [
        (first["id"], None),
        (None, first["id"]),
        (second["id"], None),
    ]
    race_grid = s.grid2
    racers = [await s.member(40 + i, grid=race_grid) for i in range(5)]
    responses = await asyncio.gather(
        *(
            client.put(
                f"/api/orgtree/grids/{race_grid['id']}/leader", json={"memberId": m["id"]}, headers=s.admin.headers
            )
            for m in racers
        )
    )
    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409, 409]


async def test_a_household_event_names_the_members_to_visit(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(50)
    household = await s.household("住院户")
    await s.admin.post(f"/members/{member['id']}/households", {"householdId": household["id"]})
    future = await s.admin.post(
        f"/households/{household['id']}/events", {"kind": "hospitalised", "occurredOn": "2999-01-01"}, 422
    )
    assert future["errors"][0]["field"] == "body.occurredOn"
    unknown = await s.admin.post(
        f"/households/{household['id']}/events", {"kind": "party", "occurredOn": "2026-01-01"}, 422
    )
    assert unknown["errors"][0]["field"] == "body.kind"
    await s.admin.post(
        f"/households/{household['id']}/events",
        {"kind": "hospitalised", "occurredOn": "2026-11-01", "note": "王大爷住院"},
    )
    events = await outbox(settings, district_a.id, "orgtree.HouseholdEventRecorded")
    assert len(events) == 1
    assert events[0]["linked_member_ids"] == [member["id"]]
    assert events[0]["kind"] == "hospitalised"
    assert "王大爷" not in str(events)
    assert [e["kind"] for e in await s.admin.get(f"/households/{household['id']}/events")] == ["hospitalised"]


async def test_district_settings_refuse_an_upside_down_range(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    before = await s.admin.get("/settings")
    refused = await s.admin.call("PATCH", "/settings", 422, json={"householdLinksMin": 12})
    assert refused["errors"][0]["field"] == "body.householdLinksMin"
    negative = await s.admin.call("PATCH", "/settings", 422, json={"guidedMembersMax": -1})
    assert negative["status"] == 422
    assert await s.admin.get("/settings") == before
    cadre = Api(client, bearer(issuer, district_a.id, ["community_cadre"], scope=s.village["path"]))
    await cadre.call("PATCH", "/settings", 403, json={"dualNetwork": True})
