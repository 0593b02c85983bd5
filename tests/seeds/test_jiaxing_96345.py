"""Jiaxing 96345 (seed 001, issue 16) end to end through the gateway, in a new district 南湖区: 穆河社区's grid with
an empty-nest household and a member volunteer who has had pre-service training; the household is registered in
the vulnerable-group registry and paired with the volunteer (DSP-09); its one-touch device's alarm, posted by the
device gateway with the district's key, opens one emergency ticket (the repeat opens none) that is offered to the
volunteer (DSP-10); 穆河社区's Red Cube station, with its translation service, puts the volunteer on duty and shows
them on duty now (DSP-11)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt

from tests.e2e.test_dispatch_flow import complete_pre_service, trained_in_dispatch, until
from tests.seeds.conftest import PASSWORD, RunningPlatform, auth, login, new_user, redcell, wait_for_root


def test_a_paired_empty_nest_household_presses_its_button_and_the_red_cube_shows_who_is_on_duty(
    platform: RunningPlatform,
) -> None:
    gateway = platform.gateway
    slug, admin_name = f"nanhu-{uuid.uuid4().hex[:6]}", f"nanhu-admin-{uuid.uuid4().hex[:6]}"
    redcell(
        platform.platform.env(),
        "tenant",
        "create",
        "--slug",
        slug,
        "--name",
        "南湖区",
        "--admin-username",
        admin_name,
        "--admin-password",
        PASSWORD,
    )
    admin_token = login(gateway, admin_name)["accessToken"]
    admin = auth(admin_token)
    tenant = jwt.decode(admin_token, options={"verify_signature": False})["tenant"]
    root = wait_for_root(gateway, admin_token)

    def post(path: str, body: dict[str, Any] | None, headers: dict[str, str] = admin) -> dict[str, Any]:
        response = httpx.post(f"{gateway}{path}", json=body, headers=headers)
        assert response.status_code in {200, 201}, (path, response.text)
        answer: dict[str, Any] = response.json()
        return answer

    party = next(
        n for n in httpx.get(f"{gateway}/api/orgtree/nodes", headers=admin).json()["items"] if n["tree"] == "party"
    )
    street = post("/api/orgtree/nodes", {"parentId": root["id"], "level": "street", "name": "示例街道（示例）"})
    community = post("/api/orgtree/nodes", {"parentId": street["id"], "level": "community", "name": "穆河社区"})
    grid = post("/api/orgtree/nodes", {"parentId": community["id"], "level": "grid", "name": "穆河社区第一网格"})
    committee = post(
        "/api/orgtree/nodes",
        {"parentId": party["id"], "level": "street_working_committee", "name": "示例街道党工委（示例）"},
    )
    branch = post(
        "/api/orgtree/nodes",
        {"parentId": committee["id"], "level": "branch", "name": "穆河社区党支部", "linkedNodeId": community["id"]},
    )
    volunteer_token = login(gateway, new_user(gateway, admin_token, "nanhu-volunteer", ["member", "volunteer"]))
    mine = auth(volunteer_token["accessToken"])
    user_id = jwt.decode(volunteer_token["accessToken"], options={"verify_signature": False})["sub"]
    member = post(
        "/api/orgtree/members",
        {"name": "沈建英", "branchId": branch["id"], "gridId": grid["id"], "userId": user_id, "phone": "13957312345"},
    )
    household = post(
        "/api/orgtree/households",
        {"gridId": grid["id"], "label": "3幢2单元101", "categories": ["empty_nest"], "phone": "13957300101"},
    )
    complete_pre_service(gateway, admin, mine)  # 南湖区 offers member volunteers tickets only after it
    provider = trained_in_dispatch(gateway, admin, grid["id"], member["id"])

    # DSP-09: registered as empty-nest and paired with the grid's member volunteer
    def registered() -> dict[str, Any] | None:  # 404 until HouseholdPlaced has reached dispatch's directory
        body = {"householdId": household["id"], "categories": ["empty_nest"], "note": "子女在外地工作"}
        answer = httpx.post(f"{gateway}/api/dispatch/vulnerable", json=body, headers=admin)
        assert answer.status_code in {201, 404}, answer.text
        found: dict[str, Any] | None = answer.json() if answer.status_code == 201 else None
        return found

    registration = until("the household in dispatch's directory", registered)
    candidates = httpx.get(f"{gateway}/api/dispatch/vulnerable/{registration['id']}/candidates", headers=admin).json()
    assert [c["id"] for c in candidates] == [provider["id"]]
    paired = httpx.put(
        f"{gateway}/api/dispatch/vulnerable/{registration['id']}/volunteer",
        json={"volunteerId": provider["id"]},
        headers=admin,
    )
    assert paired.status_code == 200, paired.text
    assert (paired.json()["volunteerName"], paired.json()["due"]) == ("沈建英", True)
    assert [r["id"] for r in httpx.get(f"{gateway}/api/dispatch/vulnerable", headers=mine).json()] == [
        registration["id"]
    ]

    # DSP-10: the household's button, through the device gateway with the district's key
    device = post("/api/dispatch/devices", {"code": "JX-YJT-0101", "householdId": household["id"], "label": "一键通"})
    assert device["householdId"] == household["id"]
    key = {"X-Device-Key": post("/api/dispatch/devices/gateway-key", None)["key"]}
    alarms = f"{gateway}/api/dispatch/public/{tenant}/device-alarms"
    press = {"deviceCode": "JX-YJT-0101", "alarmId": "press-1", "raisedAt": datetime.now(UTC).isoformat()}
    assert httpx.post(alarms, json=press).status_code == 401  # no key: not the district's gateway
    first = httpx.post(alarms, json=press, headers=key)
    assert first.status_code == 201, first.text
    repeat = httpx.post(alarms, json=press, headers=key)
    assert (repeat.status_code, repeat.json()["ticketId"]) == (200, first.json()["ticketId"])
    unknown = httpx.post(alarms, json={"deviceCode": "JX-YJT-9999", "alarmId": "press-1"}, headers=key)
    assert unknown.status_code == 404
    ticket = httpx.get(f"{gateway}/api/dispatch/tickets/{first.json()['ticketId']}", headers=admin).json()
    assert (ticket["priority"], ticket["channel"], ticket["householdId"]) == ("emergency", "one_touch", household["id"])
    offers = until("the offer", lambda: httpx.get(f"{gateway}/api/dispatch/offers", headers=mine).json())
    assert [o["ticketId"] for o in offers] == [ticket["id"]]  # the grid's volunteer, nearest at hand

    # DSP-11: 穆河社区's Red Cube, its rota drawn from the volunteers under the community
    units = httpx.get(f"{gateway}/api/dispatch/stations/units", headers=admin).json()
    assert {u["id"] for u in units} >= {community["id"], grid["id"]}
    station = post(
        "/api/dispatch/stations", {"name": "穆河社区红立方", "unitId": community["id"], "extraServices": ["翻译服务"]}
    )
    at = datetime.now(UTC)
    shift = {
        "volunteerId": provider["id"],
        "startsAt": (at - timedelta(hours=1)).isoformat(),
        "endsAt": (at + timedelta(hours=3)).isoformat(),
    }
    post(f"/api/dispatch/stations/{station['id']}/shifts", shift)
    on_duty = httpx.get(f"{gateway}/api/dispatch/stations/{station['id']}/on-duty", headers=mine).json()
    assert [(s["volunteerId"], s["volunteerName"]) for s in on_duty] == [(provider["id"], "沈建英")]
    demand = post(f"/api/dispatch/stations/{station['id']}/demands", {"title": "外籍住户需要翻译帮助"}, mine)
    assert demand["ticketNumber"]  # the volunteer on duty works the desk
    other = auth(platform.b.token)
    assert httpx.get(f"{gateway}/api/dispatch/stations/{station['id']}", headers=other).status_code == 404
    assert httpx.get(f"{gateway}/api/dispatch/vulnerable/{registration['id']}", headers=other).status_code == 404
