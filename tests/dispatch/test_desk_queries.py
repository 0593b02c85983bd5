"""What the hotline desk asks of the ticket list and of a call before it is saved (issue 12)."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from services.dispatch.routing.models import OfferStatus
from shared.settings import Settings
from tests.dispatch.builders import District, open_ticket, operator, set_ticket
from tests.dispatch.test_routing import new_ticket, offers
from tests.orgtree.builders import mobile
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Litestar]


async def listing(client: Client, issuer: TestIssuer, district: District, **params: Any) -> Any:
    response = await client.get("/api/dispatch/tickets", params=params, headers=operator(issuer, district))
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_each_listed_ticket_carries_its_grid_name_and_the_clock_due_first(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)
    [item] = await listing(client, issuer, district_a)
    assert item["id"] == ticket["id"]
    assert item["gridName"] == "第1网格"
    assert item["clock"]["kind"] == "resolution"  # a new ticket's only running clock
    one = await client.get(f"/api/dispatch/tickets/{ticket['id']}", headers=operator(issuer, district_a))
    assert (one.json()["gridName"], one.json()["clock"]) == (item["gridName"], item["clock"])


async def test_the_list_filters_by_several_stages_category_and_warning(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    life = await open_ticket(client, issuer, district_a)
    legal = await open_ticket(client, issuer, district_a, categoryId=str(district_a.categories["consultation"]))
    late = await open_ticket(client, issuer, district_a)
    await set_ticket(district_a, late["id"], status="assigned", warning="red")
    await set_ticket(district_a, legal["id"], status="closed")

    def ids(items: list[dict[str, Any]]) -> set[str]:
        return {i["id"] for i in items}

    assert ids(await listing(client, issuer, district_a, status=["new", "assigned"])) == {life["id"], late["id"]}
    assert ids(await listing(client, issuer, district_a, status="closed")) == {legal["id"]}
    category = str(district_a.categories["consultation"])
    assert ids(await listing(client, issuer, district_a, categoryId=category)) == {legal["id"]}
    assert ids(await listing(client, issuer, district_a, warning="red")) == {late["id"]}
    assert ids(await listing(client, issuer, district_a, warning="any")) == {late["id"]}
    assert await listing(client, issuer, district_a, warning="yellow") == []


async def test_bad_filters_are_named(client: Client, issuer: TestIssuer, district_a: District) -> None:
    headers = operator(issuer, district_a)
    stage = await client.get("/api/dispatch/tickets", params={"status": ["new", "lost"]}, headers=headers)
    assert stage.status_code == 422
    assert stage.json()["errors"][0]["field"] == "query.status"
    mark = await client.get("/api/dispatch/tickets", params={"warning": "green"}, headers=headers)
    assert mark.status_code in {400, 422}
    assert "warning" in mark.text


async def test_a_call_is_checked_for_duplicates_before_it_is_saved(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    earlier = await open_ticket(client, issuer, district_a, callerPhone=mobile(3))
    headers = operator(issuer, district_a)

    async def probe(district: District, body: dict[str, Any]) -> Any:
        return await client.post("/api/dispatch/tickets/duplicates", json=body, headers=operator(issuer, district))

    by_phone = await probe(district_a, {"callerPhone": mobile(3)})
    assert by_phone.status_code == 200, by_phone.text
    [found] = by_phone.json()
    assert (found["id"], found["same"], found["categoryId"]) == (earlier["id"], ["caller"], earlier["categoryId"])
    by_home = (await probe(district_a, {"householdId": str(district_a.households[0])})).json()
    assert [d["same"] for d in by_home] == [["household"]]
    other_category = {"callerPhone": mobile(3), "categoryId": str(district_a.categories["consultation"])}
    assert (await probe(district_a, other_category)).json() == []
    assert (await probe(district_b, {"callerPhone": mobile(3)})).json() == []  # the other district's desk
    assert (await probe(district_a, {})).json() == []
    listed = await client.get("/api/dispatch/tickets", headers=headers)
    assert [t["id"] for t in listed.json()["items"]] == [earlier["id"]]  # asking stored nothing


async def test_a_bad_probe_names_the_field(client: Client, issuer: TestIssuer, district_a: District) -> None:
    headers = operator(issuer, district_a)
    for body, field in (
        ({"callerPhone": "12345"}, "body.callerPhone"),
        ({"householdId": 7}, "body.householdId"),
        ({"address": "x"}, "body.address"),
        ({"phone": mobile(1)}, "body.phone"),
    ):
        response = await client.post("/api/dispatch/tickets/duplicates", json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert field in response.text, (body, response.text)


async def test_a_merged_tickets_open_offers_are_withdrawn_at_once(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    await district_a.add_provider(grid=district_a.grids[0], skills=["plumbing"])
    kept = await open_ticket(client, issuer, district_a)
    repeat = await new_ticket(client, issuer, district_a, settings)
    assert [o["status"] for o in await offers(client, issuer, district_a, repeat)] == [OfferStatus.OPEN]
    merged = await client.post(
        f"/api/dispatch/tickets/{repeat['id']}/merge",
        json={"intoTicketId": kept["id"], "reason": "同一户重复来电"},
        headers=operator(issuer, district_a),
    )
    assert merged.status_code == 200, merged.text
    assert [o["status"] for o in await offers(client, issuer, district_a, repeat)] == [OfferStatus.WITHDRAWN]


async def test_a_repeat_call_adds_a_note_to_the_open_ticket(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)
    headers = operator(issuer, district_a)
    path = f"/api/dispatch/tickets/{ticket['id']}/notes"
    added = await client.post(path, json={"text": "居民再次来电：漏水更严重了"}, headers=headers)
    assert added.status_code == 201, added.text
    assert (added.json()["action"], added.json()["reason"]) == ("noted", "居民再次来电：漏水更严重了")
    history = await client.get(f"/api/dispatch/tickets/{ticket['id']}/history", headers=headers)
    assert [h["action"] for h in history.json()][-1] == "noted"
    for body, field in (({"text": " "}, "body.text"), ({"text": 5}, "body.text"), ({"note": "x"}, "body.note")):
        refused = await client.post(path, json=body, headers=headers)
        assert refused.status_code == 422, refused.text
        assert field in refused.text
    elsewhere = await client.post(path, json={"text": "再次来电"}, headers=operator(issuer, district_b))
    assert elsewhere.status_code == 404
    await set_ticket(district_a, ticket["id"], status="closed")
    closed = await client.post(path, json={"text": "再次来电"}, headers=headers)
    assert closed.status_code == 409
    history = await client.get(f"/api/dispatch/tickets/{ticket['id']}/history", headers=headers)
    assert [h["action"] for h in history.json()].count("noted") == 1  # the refused notes stored nothing
