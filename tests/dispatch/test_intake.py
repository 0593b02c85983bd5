"""Intake at the hotline desk: what is recorded, what is refused, and who sees it."""

from __future__ import annotations

import uuid

from litestar.testing import AsyncTestClient
from sqlalchemy import select, text

from services.dispatch.models import Ticket
from tests.dispatch.builders import District, bearer, operator
from tests.orgtree.builders import mobile
from tests.platform.tokens import TestIssuer


def new_ticket(district: District, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "channel": "phone",
        "title": "厨房水管漏水",
        "description": "老人独居,水管接头漏水",
        "categoryId": str(district.categories["citizen_life"]),
        "itemId": str(district.items["plumbing"]),
        "callerName": "张三丰",
        "callerPhone": mobile(1),
        "householdId": str(district.households[0]),
    }
    body.update(overrides)
    return body


async def test_a_call_becomes_a_ticket_with_masked_caller_and_its_grid(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    response = await client.post(
        "/api/dispatch/tickets", json=new_ticket(district_a), headers=operator(issuer, district_a)
    )
    assert response.status_code == 201, response.text
    ticket = response.json()["ticket"]
    assert ticket["callerPhone"] == f"{mobile(1)[:3]}****{mobile(1)[-4:]}"
    assert ticket["callerName"] == "张**"
    assert ticket["gridId"] == str(district_a.grids[0])
    assert (ticket["status"], ticket["level"]) == ("new", 0)
    assert ticket["number"].count("-") == 1

    async def stored(session: object) -> Ticket:
        return (await session.scalars(select(Ticket).where(Ticket.id == uuid.UUID(ticket["id"])))).one()  # type: ignore[attr-defined]

    row = await district_a.run(stored)
    assert mobile(1).encode() not in (row.caller_phone_cipher or b"")
    history = await client.get(f"/api/dispatch/tickets/{ticket['id']}/history", headers=operator(issuer, district_a))
    assert [h["action"] for h in history.json()] == ["created"]


async def test_bad_intake_names_every_wrong_field_and_stores_nothing(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    body = new_ticket(district_a, channel="fax", priority="asap", callerPhone="12345")
    response = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district_a))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"body.channel", "body.priority", "body.callerPhone"}
    listing = await client.get("/api/dispatch/tickets", headers=operator(issuer, district_a))
    assert listing.json()["items"] == []


async def test_unknown_household_grid_category_and_mismatched_item_are_refused(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    headers = operator(issuer, district_a)
    cases = {
        "body.householdId": new_ticket(district_a, householdId=str(district_b.households[0])),
        "body.gridId": new_ticket(district_a, householdId=None, gridId=str(district_b.grids[0])),
        "body.categoryId": new_ticket(district_a, categoryId=str(district_b.categories["citizen_life"])),
        "body.itemId": new_ticket(district_a, itemId=str(district_a.items["legal_advice"])),
    }
    for field, body in cases.items():
        response = await client.post("/api/dispatch/tickets", json=body, headers=headers)
        assert response.status_code == 422, (field, response.text)
        assert response.json()["errors"][0]["field"] == field


async def test_possible_duplicates_are_offered_and_can_be_merged(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    headers = operator(issuer, district_a)
    first = (await client.post("/api/dispatch/tickets", json=new_ticket(district_a), headers=headers)).json()
    second = (
        await client.post("/api/dispatch/tickets", json=new_ticket(district_a, callerPhone=mobile(2)), headers=headers)
    ).json()
    offered = second["possibleDuplicates"]
    assert [d["id"] for d in offered] == [first["ticket"]["id"]]
    assert offered[0]["same"] == ["household"]
    other_category = new_ticket(district_a, categoryId=str(district_a.categories["affairs"]), itemId=None)
    third = (await client.post("/api/dispatch/tickets", json=other_category, headers=headers)).json()
    assert third["possibleDuplicates"] == []

    merged = await client.post(
        f"/api/dispatch/tickets/{second['ticket']['id']}/merge",
        json={"intoTicketId": first["ticket"]["id"]},
        headers=headers,
    )
    assert merged.status_code == 200, merged.text
    assert (merged.json()["status"], merged.json()["mergedIntoId"]) == ("merged", first["ticket"]["id"])
    again = await client.post(
        f"/api/dispatch/tickets/{second['ticket']['id']}/merge",
        json={"intoTicketId": first["ticket"]["id"]},
        headers=headers,
    )
    assert again.status_code == 409


async def test_caller_lookup_finds_earlier_tickets_by_phone_only_in_the_district(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    await client.post(
        "/api/dispatch/tickets",
        json=new_ticket(district_a, callerPhone=mobile(7)),
        headers=operator(issuer, district_a),
    )
    found = await client.post(
        "/api/dispatch/callers/lookup", json={"phone": mobile(7)}, headers=operator(issuer, district_a)
    )
    assert found.status_code == 200, found.text
    assert len(found.json()["earlierTickets"]) == 1
    assert "****" in found.json()["phone"]
    elsewhere = await client.post(
        "/api/dispatch/callers/lookup", json={"phone": mobile(7)}, headers=operator(issuer, district_b)
    )
    assert elsewhere.json()["earlierTickets"] == []
    bad = await client.post("/api/dispatch/callers/lookup", json={"phone": "abc"}, headers=operator(issuer, district_a))
    assert bad.status_code == 422


async def test_another_districts_ticket_is_a_404_everywhere(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    created = await client.post(
        "/api/dispatch/tickets", json=new_ticket(district_a), headers=operator(issuer, district_a)
    )
    ticket_id = created.json()["ticket"]["id"]
    other = operator(issuer, district_b)
    for method, path, body in (
        ("GET", f"/api/dispatch/tickets/{ticket_id}", None),
        ("GET", f"/api/dispatch/tickets/{ticket_id}/history", None),
        ("PATCH", f"/api/dispatch/tickets/{ticket_id}", {"priority": "urgent"}),
        ("POST", f"/api/dispatch/tickets/{ticket_id}/cancel", {"reason": "测试撤销"}),
        ("POST", f"/api/dispatch/tickets/{ticket_id}/reveal", {"field": "callerPhone", "purpose": "回访核实"}),
    ):
        response = await client.request(method, path, json=body, headers=other)
        assert response.status_code == 404, (method, path, response.text)
    assert (await client.get("/api/dispatch/tickets", headers=other)).json()["items"] == []


async def test_an_operator_of_two_districts_sees_each_districts_tickets_only_under_its_token(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    user = uuid.uuid4()
    in_a, in_b = operator(issuer, district_a, user), operator(issuer, district_b, user)
    a = (await client.post("/api/dispatch/tickets", json=new_ticket(district_a), headers=in_a)).json()["ticket"]
    b = (await client.post("/api/dispatch/tickets", json=new_ticket(district_b), headers=in_b)).json()["ticket"]
    assert [t["id"] for t in (await client.get("/api/dispatch/tickets", headers=in_a)).json()["items"]] == [a["id"]]
    assert [t["id"] for t in (await client.get("/api/dispatch/tickets", headers=in_b)).json()["items"]] == [b["id"]]
    assert (await client.get(f"/api/dispatch/tickets/{b['id']}", headers=in_a)).status_code == 404


async def test_a_grid_leader_sees_only_tickets_of_the_grids_in_scope(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    headers = operator(issuer, district_a)
    mine = await client.post("/api/dispatch/tickets", json=new_ticket(district_a), headers=headers)
    other_grid = district_a.households[-1]
    await client.post(
        "/api/dispatch/tickets", json=new_ticket(district_a, householdId=str(other_grid)), headers=headers
    )
    leader = bearer(issuer, district_a.id, ["grid_leader"], scope=district_a.grid_paths[district_a.grids[0]])
    seen = (await client.get("/api/dispatch/tickets", headers=leader)).json()["items"]
    assert [t["id"] for t in seen] == [mine.json()["ticket"]["id"]]


async def test_a_reveal_is_audited_and_needs_a_purpose(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    headers = operator(issuer, district_a)
    ticket = (await client.post("/api/dispatch/tickets", json=new_ticket(district_a), headers=headers)).json()["ticket"]
    no_purpose = await client.post(
        f"/api/dispatch/tickets/{ticket['id']}/reveal", json={"field": "callerPhone"}, headers=headers
    )
    assert no_purpose.status_code == 422
    assert "purpose" in no_purpose.text
    shown = await client.post(
        f"/api/dispatch/tickets/{ticket['id']}/reveal",
        json={"field": "callerPhone", "purpose": "回访核实"},
        headers=headers,
    )
    assert shown.json()["value"] == mobile(1)

    async def audited(session: object) -> int:
        result = await session.execute(  # type: ignore[attr-defined]
            text("SELECT count(*) FROM audit_event WHERE subject_id = :s AND action LIKE '%reveal%'"),
            {"s": ticket["id"]},
        )
        return int(result.scalar_one())

    assert await district_a.run(audited) == 1
