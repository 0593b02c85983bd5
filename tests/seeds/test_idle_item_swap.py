"""The idle-item swap of the Red Flag Communities (seed 003, DSP-27; XX区 in the demo), end to end through the
gateway: "residents bring useful idle items to the community and register them; at the monthly swap day they
exchange them for items they like, or give them to the district's households in need". A community is built in
orgtree with a low-income household; its items are registered with their owners masked; the month's swap day is
held (a second one that month is refused), the items brought, two swapped and one given to the household, and no
item changes hands twice; the month's report counts them for the community. Another district sees none of it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx

from tests.platform.platform import RunningPlatform, auth
from tests.seeds.story import created, until

SWAP = "/api/dispatch/swap"


def test_items_registered_at_the_community_are_swapped_and_given_to_a_household_in_need_once(
    platform: RunningPlatform,
) -> None:
    gateway, admin = platform.gateway, auth(platform.a.token)
    tag = uuid.uuid4().hex[:4]

    def unit(parent: dict[str, Any], level: str, name: str) -> dict[str, Any]:
        return created(gateway, "/api/orgtree/nodes", {"parentId": parent["id"], "level": level, "name": name}, admin)

    def post(path: str, body: dict[str, Any]) -> httpx.Response:
        return httpx.post(f"{gateway}{SWAP}{path}", json=body, headers=admin, timeout=30)

    roots = {n["tree"]: n for n in httpx.get(f"{gateway}/api/orgtree/nodes", headers=admin).json()["items"]}
    street = unit(roots["administrative"], "street", f"红旗街道{tag}")
    community = unit(street, "community", f"幸福社区{tag}")
    grid = unit(community, "grid", f"幸福社区{tag}第一网格")
    in_need = created(
        gateway,
        "/api/orgtree/households",
        {"gridId": grid["id"], "label": f"3栋{tag}室", "headName": "赵桂兰", "categories": ["low_income"]},
        admin,
    )
    until(
        "the community in dispatch's directory",
        lambda: any(u["id"] == community["id"] for u in httpx.get(f"{gateway}{SWAP}/units", headers=admin).json()),
    )

    # residents bring their idle items to the community's desk
    owners = (("儿童绘本一套", "books", "王晓明"), ("电饭煲", "appliances", "李秀英"), ("羽绒服", "clothing", "赵大海"))
    items = []
    for title, category, owner in owners:
        body = {
            "title": f"{title}{tag}",
            "category": category,
            "condition": "like_new",
            "communityId": community["id"],
            "ownerName": owner,
            "ownerPhone": "13900001234",
        }
        response = post("/items", body)
        assert response.status_code == 201, response.text
        items.append(response.json())
    books, cooker, coat = items
    assert (books["ownerName"], books["ownerPhone"], books["state"]) == ("王**", "139****1234", "available")
    refused = post("/items", {**body, "quantity": "2"})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["body.quantity"]

    # the month's swap day, one a month
    day = {"unitId": community["id"], "heldOn": date.today().isoformat(), "place": "幸福社区党群服务中心（示例）"}
    event = created(gateway, f"{SWAP}/events", day, admin)
    assert post("/events", {**day, "place": "另一处"}).status_code == 409
    brought = created(gateway, f"{SWAP}/events/{event['id']}/items", {"itemIds": [i["id"] for i in items]}, admin)
    assert brought["brought"] == 3

    # two items change hands; neither can change hands again
    swapped = post(f"/events/{event['id']}/swaps", {"itemId": books["id"], "forItemId": cooker["id"]})
    assert swapped.status_code == 201, swapped.text
    assert [(i["state"], i["swappedToName"]) for i in swapped.json()] == [("swapped", "李**"), ("swapped", "王**")]
    again = post(f"/events/{event['id']}/swaps", {"itemId": coat["id"], "forItemId": books["id"]})
    assert again.status_code == 409
    assert "is swapped already" in again.json()["detail"]

    # the coat goes to the household in need, once dispatch knows the household from orgtree's event
    def give() -> dict[str, Any] | None:
        response = post(f"/items/{coat['id']}/donation", {"householdId": in_need["id"], "eventId": event["id"]})
        assert response.status_code in {201, 404}, response.text
        return response.json() if response.status_code == 201 else None

    given = until("the household in dispatch's directory", give)
    assert (given["state"], given["householdId"]) == ("donated", in_need["id"])
    twice = post(f"/items/{coat['id']}/donation", {"householdId": in_need["id"]})
    assert twice.status_code == 409
    assert "is donated already" in twice.json()["detail"]
    steps = httpx.get(f"{gateway}{SWAP}/items/{coat['id']}", headers=admin).json()["steps"]
    assert [s["step"] for s in steps] == ["registered", "brought", "donated"]

    # the month's report for the community
    report = httpx.get(f"{gateway}{SWAP}/report", headers=admin).json()
    [row] = [r for r in report["rows"] if r["communityId"] == community["id"]]
    assert (row["registered"], row["swapped"], row["donated"], row["householdsHelped"]) == (3, 2, 1, 1)

    # another district: not found, not counted
    other = auth(platform.b.token)
    assert httpx.get(f"{gateway}{SWAP}/items/{books['id']}", headers=other).status_code == 404
    assert httpx.get(f"{gateway}{SWAP}/events/{event['id']}", headers=other).status_code == 404
    theirs = httpx.get(f"{gateway}{SWAP}/report", headers=other).json()
    assert community["id"] not in {r["communityId"] for r in theirs["rows"]}
