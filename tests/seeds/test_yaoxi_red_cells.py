"""Yaoxi's red-cell network (seed 000, 龙湾区 in the demo), end to end through the gateway: a member serves a
household (a red cell); the week's compliance report lists the link until the member visits; a hospitalisation
recorded in orgtree becomes a mandatory visit for that member (one of the eight 必访); the member records one
visit with one record per matter (一事一记): a note, and a matter that becomes a hotline ticket; the visit closes
the mandatory visit and the link leaves the report. Another district sees none of it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx

from tests.platform.platform import RunningPlatform, auth
from tests.seeds.story import created, red_cell, until, village


def test_a_red_cell_visits_the_household_it_serves_and_its_matters_become_cases(platform: RunningPlatform) -> None:
    gateway, admin = platform.gateway, auth(platform.a.token)
    where = village(platform, admin, "瑶溪")
    cell = red_cell(platform, admin, where, name="林红心", label="3组12号", phone="13957700312")
    household_id = cell.household["id"]

    def served() -> list[dict[str, Any]]:
        answer = httpx.get(f"{gateway}/api/dispatch/visits/households", headers=cell.headers)
        return [h for h in answer.json() if h["householdId"] == household_id] if answer.is_success else []

    [mine] = until("the red-cell link in dispatch", served)
    assert (mine["lastVisitedAt"], mine["due"]) == (None, True)

    def unvisited() -> list[dict[str, Any]]:
        query = {"by": "village", "unitId": where.village["id"]}
        report = httpx.get(f"{gateway}/api/dispatch/visits/compliance", params=query, headers=admin).json()
        return [(i["memberId"], i["gridName"]) for i in report["items"] if i["householdId"] == household_id]

    assert unvisited() == [(cell.member["id"], where.grid["name"])]

    event = {"kind": "hospitalised", "occurredOn": date.today().isoformat(), "note": "老人住院"}
    created(gateway, f"/api/orgtree/households/{household_id}/events", event, admin)

    def task() -> list[dict[str, Any]]:
        tasks = httpx.get(f"{gateway}/api/dispatch/visits/tasks", headers=admin).json()["items"]
        return [t for t in tasks if t["householdId"] == household_id]

    [mandatory] = until("the mandatory visit", task)
    assert (mandatory["kind"], mandatory["assignedAs"], mandatory["memberId"]) == (
        "hospitalised",
        "linked",
        cell.member["id"],
    )

    catalogue = httpx.get(f"{gateway}/api/dispatch/catalogue", headers=admin).json()
    life = next(c for c in catalogue if c["code"] == "citizen_life")
    visit = created(
        gateway,
        "/api/dispatch/visits",
        {
            "householdId": household_id,
            "visitedAt": datetime.now(UTC).isoformat(),
            "channel": "in_person",
            "note": "住院后回访",
            "matters": [
                {"summary": "家属希望了解医保报销流程", "outcome": "note"},
                {"summary": "楼道扶手松动需要维修", "outcome": "ticket", "categoryId": life["id"]},
            ],
        },
        cell.headers,
    )
    assert visit["closedTaskIds"] == [mandatory["id"]]
    note, case = visit["matters"]
    assert (note["outcome"], note["ticketId"]) == ("note", None)
    assert case["outcome"] == "ticket"
    assert case["ticketNumber"]
    ticket = httpx.get(f"{gateway}/api/dispatch/tickets/{case['ticketId']}", headers=admin).json()
    assert (ticket["channel"], ticket["title"]) == ("visit", "楼道扶手松动需要维修")

    assert unvisited() == []
    closed = httpx.get(f"{gateway}/api/dispatch/visits/tasks", params={"state": "closed"}, headers=admin).json()
    assert [t["closedByVisitId"] for t in closed["items"] if t["id"] == mandatory["id"]] == [visit["id"]]
    [mine] = served()
    assert (mine["due"], mine["openTasks"]) == (False, [])

    other = auth(platform.b.token)
    assert httpx.get(f"{gateway}/api/dispatch/visits/{visit['id']}", headers=other).status_code == 404
    assert httpx.get(f"{gateway}/api/dispatch/tickets/{case['ticketId']}", headers=other).status_code == 404
