"""System 1 of issue 16, the rest of Yaoxi's red-cell network [000], walked through the gateway: the village holds
its mass-service day on the 25th with its member on the roster in a named red vest, serving people; a benefactor
gives to the village's micro-fund, which pays for a household's micro-wish (a payment beyond the balance is refused
naming the balance); a case the grid could not solve climbs to the village's issue meeting, whose agenda lists it,
and the meeting's resolution is applied to the case. Another district sees none of it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.seeds.conftest import RunningPlatform, auth
from tests.seeds.story import red_cell, until, village


def call(platform: RunningPlatform, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    response = httpx.request(
        method, f"{platform.gateway}/api/dispatch/{path}", json=body, headers=auth(token or platform.a.token)
    )
    assert response.status_code in (200, 201), (path, response.text)
    return response.json()


def test_a_campaign_day_the_micro_fund_and_a_village_meeting_agenda(platform: RunningPlatform) -> None:
    admin = auth(platform.a.token)
    where = village(platform, admin, "瑶溪")
    cell = red_cell(platform, admin, where, name="陈丽华", label="3组12号", phone="13812340016")
    place = where.village["id"]

    def member() -> dict[str, Any] | None:
        return next((m for m in call(platform, "GET", "campaigns/members") if m["name"] == "陈丽华"), None)

    def filed() -> dict[str, Any] | None:
        body = {"channel": "visit", "title": "村口路灯不亮", "householdId": cell.household["id"]}
        answer = httpx.post(f"{platform.gateway}/api/dispatch/tickets", json=body, headers=admin)
        return answer.json()["ticket"] if answer.status_code == 201 else None

    volunteer = until("the member in dispatch", member)  # orgtree's MemberCreated, through dispatch's worker
    ticket = until("the household in dispatch", filed)  # a case from a micro-visit, for the meeting below

    # 1. the mass-service day of this month, the 25th, with its roster and the people served
    month = datetime.now(ZoneInfo("Asia/Shanghai")).date().strftime("%Y-%m")
    wrong = httpx.post(
        f"{platform.gateway}/api/dispatch/campaigns",
        headers=admin,
        json={"kind": "mass_service", "heldOn": f"{month}-24", "unitId": place},
    )
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["body.heldOn"]
    day = call(platform, "POST", "campaigns", {"kind": "mass_service", "heldOn": f"{month}-25", "unitId": place})
    line = {
        "startsAt": "09:00:00",
        "endsAt": "11:30:00",
        "providerId": volunteer["providerId"],
        "role": "branch_member",
        "vest": "红马甲·陈丽华",
        "matter": "政策宣讲、医保代办",
    }
    roster = call(platform, "POST", f"campaigns/{day['id']}/roster", line)["roster"]
    served = call(platform, "PATCH", f"campaigns/{day['id']}/roster/{roster[0]['id']}", {"served": 23})
    assert (served["peopleServed"], served["roster"][0]["vest"]) == (23, "红马甲·陈丽华")
    calendar = call(platform, "GET", f"campaigns/calendar?month={month}")
    # other stories on the shared platform hold days in their own villages
    held = [
        c
        for d in calendar["dates"]
        if d["day"] == f"{month}-25"
        for c in d["campaigns"]
        if c["unitName"] == where.village["name"]
    ]
    assert [(c["unitName"], c["peopleServed"]) for c in held] == [(where.village["name"], 23)]

    # 2. the micro-fund: a donation in, a payment out for the household's micro-wish
    wish = call(
        platform,
        "POST",
        "wishes",
        {"source": "visit", "title": "助行器一台", "valueYuan": "150", "householdId": cell.household["id"]},
    )
    call(platform, "POST", f"fund/villages/{place}/donations", {"amount": 200, "donor": "林先生（示例）"})
    too_much = httpx.post(
        f"{platform.gateway}/api/dispatch/fund/villages/{place}/disbursements",
        headers=admin,
        json={"amount": 250, "purpose": "购置助行器", "wishId": wish["id"]},
    )
    assert too_much.status_code == 409
    assert "¥200.00" in too_much.json()["detail"]
    paid = call(
        platform,
        "POST",
        f"fund/villages/{place}/disbursements",
        {"amount": 150, "purpose": "购置助行器", "wishId": wish["id"]},
    )
    assert (paid["balanceAfter"], paid["linkedTitle"]) == ("50.00", "助行器一台")
    assert call(platform, "GET", f"fund/villages/{place}")["fund"]["balance"] == "50.00"

    # 3. a case the grid could not solve goes to the village's issue meeting, which resolves it
    call(platform, "POST", f"tickets/{ticket['id']}/escalations", {"toLevel": 1, "reason": "网格无法解决"})
    meeting = call(
        platform,
        "POST",
        "agendas/meetings",
        {"kind": "issue_meeting", "unitId": place, "attendees": ["村书记（示例）"]},
    )
    (case,) = meeting["agenda"]
    assert (case["ticketNumber"], case["levelName"]) == (ticket["number"], "村红领提事会")
    decided = call(
        platform,
        "POST",
        f"agendas/meetings/{meeting['id']}/outcomes",
        {"outcomes": [{"itemId": case["id"], "outcome": "resolved", "note": "村委已更换路灯"}]},
    )
    assert decided["agenda"][0]["outcome"] == "resolved"
    assert call(platform, "GET", f"tickets/{ticket['id']}")["status"] == "resolved"

    # another district sees none of it
    other = auth(platform.b.token)
    for path in (f"campaigns/{day['id']}", f"fund/villages/{place}", f"agendas/meetings/{meeting['id']}"):
        assert httpx.get(f"{platform.gateway}/api/dispatch/{path}", headers=other).status_code == 404
