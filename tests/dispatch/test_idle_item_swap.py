"""The idle-item swap (闲置物品交换, DSP-27 [003]): items registered at the community with their owner masked, the
monthly swap day, two items changing hands or an item given to a household in need, each once; the month's report."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.demo.idle_swap import PLACE, XX_DISTRICT, load_idle_swap, swap_days
from shared.clock import china_today
from tests.dispatch.builders import District, staff
from tests.dispatch.test_micro_fund import fields, other_village
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
SWAP = "/api/dispatch/swap"


def item_body(district: District, title: str, owner: str, **more: object) -> dict[str, object]:
    body: dict[str, object] = {
        "title": title,
        "category": "books",
        "condition": "like_new",
        "communityId": str(district.village),
        "ownerName": owner,
        "ownerPhone": "13912345678",
    }
    return body | more


async def register(client: Client, headers: dict[str, str], body: dict[str, object]) -> dict[str, Any]:
    response = await client.post(f"{SWAP}/items", json=body, headers=headers)
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


async def swap_day(client: Client, headers: dict[str, str], unit: uuid.UUID) -> dict[str, Any]:
    body = {"unitId": str(unit), "heldOn": china_today().isoformat(), "place": "社区党群服务中心一楼"}
    response = await client.post(f"{SWAP}/events", json=body, headers=headers)
    assert response.status_code == 201, response.text
    event: dict[str, Any] = response.json()
    return event


async def test_a_swap_day_two_items_change_hands_one_is_given_away_and_none_is_settled_twice(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    books = await register(client, admin, item_body(district_a, "儿童绘本一套", "王小明", quantity=12))
    assert (books["ownerName"], books["ownerPhone"], books["state"], books["quantity"]) == (
        "王**",
        "139****5678",
        "available",
        12,
    )
    assert "王小明" not in str(books)
    assert "13912345678" not in str(books)
    cooker = await register(
        client, admin, item_body(district_a, "电饭煲", "李秀英", category="appliances", ownerPhone=None)
    )
    coat = await register(client, admin, item_body(district_a, "羽绒服", "赵大海", category="clothing"))
    desk = await register(client, admin, item_body(district_a, "书桌", "孙丽", category="furniture"))
    event = await swap_day(client, admin, district_a.village)
    assert event["title"] == "瑶溪村闲置物品交换日"
    brought = await client.post(
        f"{SWAP}/events/{event['id']}/items", json={"itemIds": [books["id"], cooker["id"], coat["id"]]}, headers=admin
    )
    assert brought.status_code == 201, brought.text
    assert [i["title"] for i in brought.json()["items"]] == ["儿童绘本一套", "电饭煲", "羽绒服"]

    swapped = await client.post(
        f"{SWAP}/events/{event['id']}/swaps", json={"itemId": books["id"], "forItemId": cooker["id"]}, headers=admin
    )
    assert swapped.status_code == 201, swapped.text
    assert [(i["title"], i["state"], i["swappedForTitle"], i["swappedToName"]) for i in swapped.json()] == [
        ("儿童绘本一套", "swapped", "电饭煲", "李**"),
        ("电饭煲", "swapped", "儿童绘本一套", "王**"),
    ]
    again = await client.post(
        f"{SWAP}/events/{event['id']}/swaps", json={"itemId": coat["id"], "forItemId": cooker["id"]}, headers=admin
    )
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert "电饭煲 (" in again.json()["detail"]
    assert "swapped already" in again.json()["detail"]

    household = str(district_a.households[0])
    given = await client.post(
        f"{SWAP}/items/{coat['id']}/donation",
        json={"householdId": household, "eventId": event["id"], "note": "冬衣送困难户"},
        headers=admin,
    )
    assert given.status_code == 201, given.text
    assert (given.json()["state"], given.json()["householdId"], given.json()["eventId"]) == (
        "donated",
        household,
        event["id"],
    )
    for item, state in ((coat, "donated"), (books, "swapped")):
        twice = await client.post(f"{SWAP}/items/{item['id']}/donation", json={"householdId": household}, headers=admin)
        assert twice.status_code == 409, twice.text
        assert state in twice.json()["detail"]
    helped = str(district_a.households[1])
    outside = await client.post(f"{SWAP}/items/{desk['id']}/donation", json={"householdId": helped}, headers=admin)
    assert outside.status_code == 201, outside.text

    page = (await client.get(f"{SWAP}/items/{books['id']}", headers=admin)).json()
    assert [s["step"] for s in page["steps"]] == ["registered", "brought", "swapped"]
    day = (await client.get(f"{SWAP}/events/{event['id']}", headers=admin)).json()
    assert (day["brought"], day["swapped"], day["donated"]) == (3, 2, 1)
    report = (await client.get(f"{SWAP}/report", headers=admin)).json()
    assert [
        (r["communityName"], r["registered"], r["swapped"], r["donated"], r["householdsHelped"]) for r in report["rows"]
    ] == [("瑶溪村", 4, 2, 2, 2)]
    assert (report["totals"]["registered"], report["totals"]["householdsHelped"]) == (4, 2)
    assert [i["state"] for i in (await client.get(f"{SWAP}/items?state=available", headers=admin)).json()] == []


async def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    for body, field in (
        (item_body(district_a, "台灯", "周明", quantity="2"), "body.quantity"),
        (item_body(district_a, "台灯", "周明", quantity=0), "body.quantity"),
        (item_body(district_a, "台灯", "周明", category="food"), "body.category"),
        (item_body(district_a, "台灯", "周明", condition="broken"), "body.condition"),
        (item_body(district_a, "台灯", "周明", ownerPhone="12345"), "body.ownerPhone"),
        (item_body(district_a, "台灯", "周明", receivedOn="2099-01-01"), "body.receivedOn"),
        (item_body(district_a, " ", "周明"), "body.title"),
        (item_body(district_a, "台灯", "周明", communityId="瑶溪村"), "body.communityId"),
        (item_body(district_a, "台灯", "周明", communityId=str(district_a.street)), None),
    ):
        response = await client.post(f"{SWAP}/items", json=body, headers=admin)
        if field is None:  # a street is not a community
            assert response.status_code == 404, response.text
            continue
        assert response.status_code == 422, (body, response.text)
        assert field in fields(response), (body, response.text)
    assert (await client.get(f"{SWAP}/items", headers=admin)).json() == []

    lamp = await register(client, admin, item_body(district_a, "台灯", "周明"))
    elsewhere_village, _ = await other_village(district_a)
    far = await register(client, admin, item_body(district_a, "自行车", "吴刚", communityId=str(elsewhere_village)))
    far_event = {"unitId": str(district_a.village), "heldOn": "2001-01-01", "place": "广场"}
    response = await client.post(f"{SWAP}/events", json=far_event, headers=admin)
    assert (response.status_code, fields(response)) == (422, ["body.heldOn"])
    event = await swap_day(client, admin, district_a.village)
    second = await client.post(
        f"{SWAP}/events",
        json={"unitId": str(district_a.village), "heldOn": china_today().isoformat(), "place": "另一处"},
        headers=admin,
    )
    assert second.status_code == 409, second.text
    assert (await client.get(f"{SWAP}/events", headers=admin)).json()[0]["id"] == event["id"]
    bring = f"{SWAP}/events/{event['id']}/items"
    response = await client.post(bring, json={"itemIds": [lamp["id"], far["id"]]}, headers=admin)
    assert (response.status_code, fields(response)) == (422, ["body.itemIds[1]"])
    response = await client.post(bring, json={"itemIds": lamp["id"]}, headers=admin)
    assert (response.status_code, fields(response)) == (422, ["body.itemIds"])
    assert (await client.get(f"{SWAP}/events/{event['id']}", headers=admin)).json()["items"] == []
    await client.post(bring, json={"itemIds": [lamp["id"]]}, headers=admin)
    swaps = f"{SWAP}/events/{event['id']}/swaps"
    for body, field in (
        ({"itemId": lamp["id"], "forItemId": lamp["id"]}, "body.forItemId"),
        ({"itemId": lamp["id"], "forItemId": far["id"]}, "body.forItemId"),
        ({"itemId": lamp["id"], "forItemId": 7}, "body.forItemId"),
    ):
        response = await client.post(swaps, json=body, headers=admin)
        assert response.status_code == 422, (body, response.text)
        assert fields(response) == [field], response.text
    donate = f"{SWAP}/items/{lamp['id']}/donation"
    household = str(district_a.households[0])
    gifts: tuple[tuple[dict[str, object], str | None], ...] = (
        ({"householdId": household, "donatedOn": "2099-01-01"}, "body.donatedOn"),
        ({"householdId": household, "donatedOn": 20261207}, "body.donatedOn"),
        ({"householdId": household, "note": "x" * 501}, "body.note"),
        ({"householdId": household, "extra": True}, None),
    )
    for body, field in gifts:
        response = await client.post(donate, json=body, headers=admin)
        assert response.status_code in (400, 422), (body, response.text)
        if field is not None:
            assert field in fields(response), (body, response.text)
    response = await client.post(
        f"{SWAP}/items/{far['id']}/donation", json={"householdId": household, "eventId": event["id"]}, headers=admin
    )
    assert (response.status_code, fields(response)) == (422, ["body.eventId"])
    unknown = await client.post(donate, json={"householdId": str(uuid.uuid4())}, headers=admin)
    assert unknown.status_code == 404
    for item in (await client.get(f"{SWAP}/items", headers=admin)).json():
        assert (item["state"], item["householdId"]) == ("available", None)
    response = await client.get(f"{SWAP}/report?month=2026-13", headers=admin)
    assert (response.status_code, fields(response)) == (422, ["query.month"])


async def test_another_districts_items_swap_days_and_households_are_not_found(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin_a, admin_b = staff(issuer, district_a), staff(issuer, district_b)
    theirs = await register(client, admin_a, item_body(district_a, "婴儿车", "陈静"))
    event = await swap_day(client, admin_a, district_a.village)
    mine = await register(client, admin_b, item_body(district_b, "电风扇", "林峰"))
    for method, path, body in (
        ("get", f"{SWAP}/items/{theirs['id']}", None),
        ("get", f"{SWAP}/events/{event['id']}", None),
        ("post", f"{SWAP}/items", item_body(district_a, "电风扇", "林峰")),
        ("post", f"{SWAP}/items/{theirs['id']}/donation", {"householdId": str(district_b.households[0])}),
        ("post", f"{SWAP}/items/{mine['id']}/donation", {"householdId": str(district_a.households[0])}),
        ("post", f"{SWAP}/events/{event['id']}/items", {"itemIds": [mine["id"]]}),
        (
            "post",
            f"{SWAP}/events",
            {"unitId": str(district_a.village), "heldOn": china_today().isoformat(), "place": "x"},
        ),
    ):
        call = client.get(path, headers=admin_b) if method == "get" else client.post(path, json=body, headers=admin_b)
        response = await call
        assert response.status_code == 404, (path, response.text)
    b_day = await swap_day(client, admin_b, district_b.village)
    response = await client.post(
        f"{SWAP}/events/{b_day['id']}/items", json={"itemIds": [theirs["id"]]}, headers=admin_b
    )
    assert response.status_code == 404
    assert [i["id"] for i in (await client.get(f"{SWAP}/items", headers=admin_b)).json()] == [mine["id"]]
    assert (await client.get(f"{SWAP}/items/{theirs['id']}", headers=admin_a)).json()["state"] == "available"


async def test_the_demo_fills_xx_district_only_and_once(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    async def load(slug: str) -> list[str]:
        async def run(session: AsyncSession) -> list[str]:
            return await load_idle_swap(session, slug, district_a.id)

        lines: list[str] = await district_a.run(run)
        return lines

    assert await load("wenzhou-longwan") == []
    assert await load(XX_DISTRICT) == ["idle-item swap in 瑶溪村: 8 items, 2 swap days, 4 swapped, 2 donated"]
    assert await load(XX_DISTRICT) == ["idle-item swap already loaded"]
    admin = staff(issuer, district_a)
    for day in swap_days(china_today()):  # each month: four items brought in, two swapped, one given away
        report = (await client.get(f"{SWAP}/report?month={day:%Y-%m}", headers=admin)).json()
        assert [(r["registered"], r["swapped"], r["donated"], r["householdsHelped"]) for r in report["rows"]] == [
            (4, 2, 1, 1)
        ]
    events = (await client.get(f"{SWAP}/events", headers=admin)).json()
    assert [(e["place"], e["brought"], e["swapped"], e["donated"]) for e in events] == [(PLACE, 4, 2, 1)]
