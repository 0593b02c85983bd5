"""Venues and service points with their certification history (ORG-22) and the brands of streets and communities
(ORG-23): bad input is a 422 naming the field, another district's or street's id a 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from shared.clock import china_today
from shared.settings import Settings
from tests.orgtree.builders import Api, build_slice, outbox
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer

TODAY = china_today()


def fields(problem: dict[str, Any]) -> list[str]:
    return [e["field"] for e in problem["errors"]]


async def test_a_7171_point_is_applied_for_certified_and_revoked_with_its_history(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    body = {"unitId": s.village["id"], "kind": "point_7171", "name": "上河便民超市", "openingHours": "8:00-20:00"}
    point = (await s.admin.post("/venues", body))["venue"]
    assert (point["status"], point["unitName"], point["itemCount"]) == (None, "上河村", None)
    centre = {"unitId": s.street["id"], "kind": "centre_71", "name": "瑶溪“71”党群服务中心", "itemCount": 46}
    await s.admin.post("/venues", centre)

    change = f"/venues/{point['id']}/certification"
    await s.admin.call("POST", change, 200, json={"status": "applied", "changedOn": "2026-03-01"})
    certified = await s.admin.call(
        "POST", change, 200, json={"status": "certified", "changedOn": "2026-04-01", "signage": True}
    )
    assert certified["venue"]["status"] == "certified"
    assert certified["venue"]["signage"] is True
    assert [h["status"] for h in certified["history"]] == ["certified", "applied"]

    listed = await s.admin.get("/venues", within=s.street["id"], kind="point_7171", status="certified")
    assert [v["name"] for v in listed] == ["上河便民超市"]
    assert [v["name"] for v in await s.admin.get("/venues", status="none")] == ["瑶溪“71”党群服务中心"]

    revoked = await s.admin.call("POST", change, 200, json={"status": "revoked", "changedOn": TODAY.isoformat()})
    assert [h["status"] for h in revoked["history"]] == ["revoked", "certified", "applied"]
    await s.admin.call("POST", change, 409, json={"status": "revoked", "changedOn": TODAY.isoformat()})
    events = await outbox(settings, district_a.id, "orgtree.VenueCertificationChanged")
    assert [(e["status"], e["venue_id"], e["signage"]) for e in events] == [
        ("applied", point["id"], False),
        ("certified", point["id"], True),
        ("revoked", point["id"], False),
    ]


async def test_bad_venues_and_certifications_are_refused_naming_the_field(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    base = {"unitId": s.village["id"], "kind": "point_7171", "name": "上河便民超市"}
    assert fields(await s.admin.post("/venues", {**base, "kind": "castle"}, 422)) == ["body.kind"]
    assert fields(await s.admin.post("/venues", {**base, "itemCount": 5}, 422)) == ["body.itemCount"]
    service_centre = {**base, "kind": "party_mass_service_centre"}
    assert fields(await s.admin.post("/venues", {**service_centre, "itemCount": "46"}, 422)) == ["body.itemCount"]
    assert fields(await s.admin.post("/venues", {**service_centre, "itemCount": -1}, 422)) == ["body.itemCount"]
    assert await s.admin.get("/venues") == []
    assert fields(await s.admin.get("/venues", 422, kind="castle")) == ["query.kind"]

    point = (await s.admin.post("/venues", base))["venue"]
    change = f"/venues/{point['id']}/certification"
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    refused = await s.admin.post(change, {"status": "certified", "changedOn": tomorrow}, 422)
    assert fields(refused) == ["body.changedOn"]
    assert fields(await s.admin.post(change, {"status": "gold", "changedOn": "2026-01-01"}, 422)) == ["body.status"]
    signage = {"status": "certified", "changedOn": "2026-01-01", "signage": "true"}
    assert fields(await s.admin.post(change, signage, 422)) == ["body.signage"]
    await s.admin.post(change, {"status": "revoked", "changedOn": "2026-01-01"}, 409)
    assert (await s.admin.get(f"/venues/{point['id']}"))["history"] == []


async def test_venues_of_another_district_or_street_are_404(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    other = await build_slice(client, issuer, district_b)
    far = {"unitId": s.far_grid["id"], "kind": "red_cube_station", "name": "永中红色小屋"}
    far_venue = (await s.admin.post("/venues", far))["venue"]
    await other.admin.get(f"/venues/{far_venue['id']}", 404)
    await other.admin.post("/venues", far, 404)
    certify = {"status": "certified", "changedOn": "2026-01-01"}
    await other.admin.post(f"/venues/{far_venue['id']}/certification", certify, 404)

    street_admin = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.street["path"]))
    await street_admin.get(f"/venues/{far_venue['id']}", 404)
    await street_admin.post("/venues", far, 404)
    await street_admin.post(f"/venues/{far_venue['id']}/certification", certify, 404)
    await street_admin.get("/venues", 404, within=s.other_street["id"])
    assert await street_admin.get("/venues") == []
    assert [v["name"] for v in await s.admin.get("/venues")] == ["永中红色小屋"]


async def test_a_brand_is_at_most_ten_characters_as_read_and_a_new_one_replaces_it(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    brand = f"/nodes/{s.street['id']}/brand"
    first = await s.admin.call("PUT", brand, 200, json={"name": "瑶溪红色先锋站点品牌", "description": "十个字"})
    assert first["brand"]["name"] == "瑶溪红色先锋站点品牌"
    assert first["history"] == []
    eleven = await s.admin.call("PUT", brand, 422, json={"name": "瑶溪红色先锋站点品牌好"})
    assert fields(eleven) == ["body.name"]
    assert "11" in eleven["errors"][0]["message"]
    decomposed = "Cafe\u0301Ame\u0301lie"  # 12 code points, 10 characters on the screen
    accented = await s.admin.call("PUT", brand, 200, json={"name": decomposed})
    assert accented["brand"]["name"] == "CaféAmélie"
    assert [b["name"] for b in accented["history"]] == ["瑶溪红色先锋站点品牌"]
    assert accented["history"][0]["replacedAt"] is not None
    assert len((await s.admin.get(brand))["history"]) == 1
    assert fields(await s.admin.call("PUT", brand, 422, json={"name": 10})) == ["body.name"]
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one family on the screen, five code points
    assert (await s.admin.call("PUT", brand, 200, json={"name": f"{family}瑶溪红色先锋站点品"}))["brand"] is not None
    await s.admin.call("PUT", brand, 422, json={"name": f"{family}瑶溪红色先锋站点品牌"})
    await s.admin.call("PUT", brand, 200, json={"name": decomposed})
    assert (await s.admin.get(brand))["brand"]["name"] == "CaféAmélie"

    village = await s.admin.call("PUT", f"/nodes/{s.village['id']}/brand", 422, json={"name": "上河特色"})
    assert "village" in village["detail"]
    assert fields(village) == ["path.nodeId"]

    community = await s.admin.unit(s.street, "community", "瑶溪社区")
    await s.admin.call("PUT", f"/nodes/{community['id']}/brand", 200, json={"name": "邻里红"})
    listed = await s.admin.get("/brands", within=s.street["id"])
    assert [(u["unitName"], u["brand"]["name"] if u["brand"] else None) for u in listed] == [
        ("瑶溪街道", "CaféAmélie"),
        ("瑶溪社区", "邻里红"),
    ]


async def test_brands_of_another_district_or_street_are_404(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    other = await build_slice(client, issuer, district_b)
    await other.admin.call("PUT", f"/nodes/{s.other_street['id']}/brand", 404, json={"name": "永中品牌"})
    street_admin = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.street["path"]))
    await street_admin.call("PUT", f"/nodes/{s.other_street['id']}/brand", 404, json={"name": "永中品牌"})
    await street_admin.get(f"/nodes/{s.other_street['id']}/brand", 404)
    await street_admin.call("PUT", f"/nodes/{s.street['id']}/brand", 200, json={"name": "瑶溪品牌"})
    assert [u["unitName"] for u in await street_admin.get("/brands")] == ["瑶溪街道"]
    assert (await s.admin.get(f"/nodes/{s.other_street['id']}/brand"))["brand"] is None


async def test_a_moved_unit_takes_its_venues_staff_and_brand_to_the_new_street(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    community = await s.admin.unit(s.street, "community", "瑶溪社区")
    await s.admin.post("/venues", {"unitId": community["id"], "kind": "sunshine_station", "name": "瑶溪阳光驿站"})
    await s.admin.call("PUT", f"/nodes/{community['id']}/brand", 200, json={"name": "邻里红"})
    member = await s.member(31)
    staff = {"memberId": member["id"], "role": "reserve_cadre", "since": "2025-01-01"}
    await s.admin.post(f"/nodes/{community['id']}/staff", staff)
    await s.admin.post(f"/nodes/{community['id']}/move", {"newParentId": s.other_street["id"]}, 200)

    old = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.street["path"]))
    new = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.other_street["path"]))
    assert await old.get("/venues") == []
    assert [v["name"] for v in await new.get("/venues")] == ["瑶溪阳光驿站"]
    assert [u["brand"]["name"] for u in await new.get("/brands") if u["unitName"] == "瑶溪社区"] == ["邻里红"]
    assert [(r["unitName"], r["actual"]) for r in (await new.get("/staffing/compliance"))["rows"]] == [
        ("永中街道", 0),
        ("永中社区", 0),
        ("瑶溪社区", 1),
    ]
