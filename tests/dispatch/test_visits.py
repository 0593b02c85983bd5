"""Micro-visits (DSP-24): a member records a visit to a household they serve, with its matters (a ticket or a
note); staff of the household's scope may too; the weekly compliance report lists the links left unvisited."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.dispatch.builders import District, bearer, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]


async def red_cell(district: District, household: uuid.UUID, name: str = "陈红梅") -> tuple[uuid.UUID, uuid.UUID]:
    """A member (with a login) linked to ``household``; returns (member id, user id)."""
    member, user = uuid.uuid4(), uuid.uuid4()
    await district.add_provider(member_id=member, user_id=user, name=name, grid=district.grids[0])
    await district.link(household, member)
    return member, user


def member_token(issuer: TestIssuer, district: District, user: uuid.UUID) -> dict[str, str]:
    return bearer(issuer, district.id, ["member"], user_id=user)


def visit_body(household: uuid.UUID, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "householdId": str(household),
        "visitedAt": (datetime.now(UTC) - timedelta(hours=2)).isoformat(),
        "channel": "in_person",
        "note": "老人身体还好，家里楼道灯不亮",
        "matters": [
            {"summary": "楼道灯坏了，需要维修", "outcome": "ticket"},
            {"summary": "想了解老年卡办理", "outcome": "note"},
        ],
    }
    body.update(overrides)
    return body


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


async def test_a_member_records_a_visit_and_a_matter_becomes_a_ticket(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    household = district_a.households[0]
    _, user = await red_cell(district_a, household)
    me = member_token(issuer, district_a, user)

    response = await client.post("/api/dispatch/visits", json=visit_body(household), headers=me)

    assert response.status_code == 201, response.text
    visit = response.json()
    assert visit["visitorName"] == "陈红梅"  # the member sees their own name
    ticket_matter, note_matter = visit["matters"]
    assert ticket_matter["outcome"] == "ticket"
    assert ticket_matter["ticketNumber"]
    assert note_matter == {"summary": "想了解老年卡办理", "outcome": "note", "ticketId": None, "ticketNumber": None}
    desk = staff(issuer, district_a, "hotline_operator")
    ticket = await client.get(f"/api/dispatch/tickets/{ticket_matter['ticketId']}", headers=desk)
    assert ticket.status_code == 200
    assert ticket.json()["channel"] == "visit"
    assert ticket.json()["householdId"] == str(household)
    served = (await client.get("/api/dispatch/visits/households", headers=me)).json()
    assert [(h["householdId"], h["due"]) for h in served] == [(str(household), False)]
    listed = await client.get("/api/dispatch/visits", headers=desk)
    assert listed.json()[0]["visitorName"] == "陈红梅"  # hotline staff read names in full
    cadre = bearer(issuer, district_a.id, ["street_admin"], user_id=uuid.uuid4())
    assert (await client.get("/api/dispatch/visits", headers=cadre)).json()[0]["visitorName"] == "陈**"

    async def audited(session: AsyncSession) -> list[str]:
        rows = await session.execute(text("SELECT action FROM audit_event WHERE action LIKE 'dispatch.visit.%'"))
        return sorted({row[0] for row in rows})

    assert await district_a.run(audited) == ["dispatch.visit.read", "dispatch.visit.recorded"]


async def test_bad_visits_are_refused_naming_the_field_and_nothing_is_stored(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    household = district_a.households[0]
    _, user = await red_cell(district_a, household)
    me = member_token(issuer, district_a, user)
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, object], str]] = [
        (visit_body(household, visitedAt=future), "visitedAt"),
        (visit_body(household, channel="carrier_pigeon"), "channel"),
        (visit_body(district_a.households[1]), "householdId"),  # a household this member does not serve
        (visit_body(household, matters=[{"summary": "漏水", "outcome": "later"}]), "matters[0].outcome"),
        (
            visit_body(household, matters=[{"summary": "漏水", "outcome": "ticket", "categoryId": str(uuid.uuid4())}]),
            "matters[0].categoryId",
        ),
        (visit_body(household, visitedAt="yesterday"), "visitedAt"),
        (visit_body(household, householdId=12), "householdId"),
        (visit_body(household, matters="2"), "matters"),
        (visit_body(household, note=5), "note"),
    ]
    for body, field in cases:
        response = await client.post("/api/dispatch/visits", json=body, headers=me)
        assert response.status_code == 422, (field, response.text)
        assert field in fields(response) or field in response.text, (field, response.text)
    bad_limit = await client.get("/api/dispatch/visits/compliance?limit=many", headers=staff(issuer, district_a))
    assert bad_limit.status_code == 422
    assert "query.limit" in fields(bad_limit)
    bad_by = await client.get("/api/dispatch/visits/compliance?by=planet", headers=staff(issuer, district_a))
    assert bad_by.status_code == 422
    assert "query.by" in fields(bad_by)
    bad_state = await client.get("/api/dispatch/visits/tasks?state=lost", headers=staff(issuer, district_a))
    assert bad_state.status_code == 422
    assert "query.state" in fields(bad_state)

    async def count(session: AsyncSession) -> int:
        return int(await session.scalar(text("SELECT count(*) FROM visit")) or 0)

    assert await district_a.run(count) == 0


async def test_another_districts_household_and_visit_are_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    household = district_a.households[0]
    _, user = await red_cell(district_a, household)
    visit = await client.post(
        "/api/dispatch/visits", json=visit_body(household, matters=[]), headers=member_token(issuer, district_a, user)
    )
    assert visit.status_code == 201
    other = staff(issuer, district_b)
    assert (await client.get(f"/api/dispatch/visits/{visit.json()['id']}", headers=other)).status_code == 404
    foreign = await client.post("/api/dispatch/visits", json=visit_body(household, matters=[]), headers=other)
    assert foreign.status_code == 404
    # a grid leader of another grid of the same district does not see the household either
    second_grid = district_a.grid_paths[district_a.grids[1]]
    leader = bearer(issuer, district_a.id, ["grid_leader"], scope=second_grid, user_id=uuid.uuid4())
    assert (
        await client.post("/api/dispatch/visits", json=visit_body(household, matters=[]), headers=leader)
    ).status_code == 404
    assert (await client.get(f"/api/dispatch/visits/{visit.json()['id']}", headers=leader)).status_code == 404


async def test_staff_of_the_households_scope_record_a_visit(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    household = district_a.households[0]
    leader = bearer(
        issuer, district_a.id, ["grid_leader"], scope=district_a.grid_paths[district_a.grids[0]], user_id=uuid.uuid4()
    )
    response = await client.post(
        "/api/dispatch/visits", json=visit_body(household, channel="phone", matters=[]), headers=leader
    )
    assert response.status_code == 201, response.text
    assert response.json()["memberId"] is None
    assert response.json()["channel"] == "phone"


async def test_the_compliance_report_lists_links_unvisited_in_the_interval(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    visited, forgotten, elsewhere = district_a.households[0], district_a.households[1], district_a.households[3]
    member, user = await red_cell(district_a, visited)
    await district_a.link(forgotten, member)
    await red_cell(district_a, elsewhere, name="李建国")  # the second grid's red cell, never visited
    me = member_token(issuer, district_a, user)
    admin = staff(issuer, district_a)
    long_ago = (datetime.now(UTC) - timedelta(days=10)).isoformat()
    assert (
        await client.post(
            "/api/dispatch/visits", json=visit_body(forgotten, visitedAt=long_ago, matters=[]), headers=me
        )
    ).status_code == 201

    before = (await client.get("/api/dispatch/visits/compliance", headers=admin)).json()
    assert before["days"] == 7
    assert before["total"] == {"unitId": None, "name": None, "links": 3, "unvisited": 3}
    assert (
        await client.post("/api/dispatch/visits", json=visit_body(visited, matters=[]), headers=me)
    ).status_code == 201
    after = (await client.get("/api/dispatch/visits/compliance", headers=admin)).json()
    assert after["total"]["unvisited"] == 2
    by_grid = {u["name"]: (u["links"], u["unvisited"]) for u in after["units"]}
    assert by_grid == {"第1网格": (2, 1), "第2网格": (1, 1)}
    assert [i["householdId"] for i in after["items"]] == [str(elsewhere), str(forgotten)]  # never visited first
    assert after["items"][1]["lastVisitedAt"] is not None
    village = (await client.get("/api/dispatch/visits/compliance?by=village", headers=admin)).json()
    assert [(u["name"], u["links"], u["unvisited"]) for u in village["units"]] == [("瑶溪村", 3, 2)]
    paged = (await client.get("/api/dispatch/visits/compliance?limit=1", headers=admin)).json()
    assert len(paged["items"]) == 1
    assert paged["nextOffset"] == 1
    last = (await client.get("/api/dispatch/visits/compliance?limit=1&offset=1", headers=admin)).json()
    assert last["items"][0]["householdId"] == str(forgotten)
    assert last["nextOffset"] is None
    # a grid leader counts only their grid
    leader = bearer(
        issuer, district_a.id, ["grid_leader"], scope=district_a.grid_paths[district_a.grids[1]], user_id=uuid.uuid4()
    )
    mine = (await client.get("/api/dispatch/visits/compliance", headers=leader)).json()
    assert mine["total"]["links"] == 1
    assert mine["items"][0]["memberName"] == "李**"
    # the district's interval is a setting
    widened = await client.patch("/api/dispatch/settings", json={"visitIntervalDays": 30}, headers=admin)
    assert widened.status_code == 200, widened.text
    month = (await client.get("/api/dispatch/visits/compliance", headers=admin)).json()
    assert month["days"] == 30
    assert month["total"]["unvisited"] == 1
    assert (
        await client.patch("/api/dispatch/settings", json={"visitIntervalDays": "30"}, headers=admin)
    ).status_code == 422
