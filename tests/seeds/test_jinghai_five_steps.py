"""System 6 of issue 16, Jinghai's five steps [001/JH] walked through the gateway (DSP-17, DSP-18): the district
admin has residents told of every step by SMS; a villager's call is collected, then classified (individual,
solvable now, its topic category), routed to a team, signed for (supervision begins), resolved, rated and called
back, and closed. The ticket's steps read collect → classify → route → supervise → feed back, each with when and
by whom, and the delivery log holds the resident's SMS of every step. Another district sees none of it. The
setting is turned off again at the end: the platform's district is shared by every story.

The village station's catalogue split (46 items: 24 on the spot, 22 by proxy) is demo data
(``services/dispatch/demo/jinghai_steps.py``, tested in tests/dispatch/test_hotline_practices_demo.py)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import jwt

from tests.console.support import categories, new_phone, street_with_grid, until
from tests.seeds.conftest import RunningPlatform, auth, login, new_user

EVERY_STEP = [
    "stage_collected",
    "stage_classified",
    "ticket_routed",
    "stage_supervised",
    "ticket_resolved",
    "ticket_closed",
]


def ok(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201), (str(response.url), response.text)
    return response.json()


def test_a_call_walks_the_five_steps_with_an_sms_at_each(platform: RunningPlatform) -> None:
    gateway, tag = platform.gateway, uuid.uuid4().hex[:4]
    admin = auth(platform.a.token)
    place = street_with_grid(platform, f"静海示例镇{tag}")
    team_login = new_user(gateway, platform.a.token, "jh-team", ["volunteer"])
    team_token = login(gateway, team_login)["accessToken"]
    team = auth(team_token)
    account = jwt.decode(team_token, options={"verify_signature": False})["sub"]
    name = f"村综合服务站代办队{tag}（示例）"
    body = {"kind": "professional_team", "name": name, "userId": account, "gridId": place.grid["id"]}
    provider = ok(httpx.post(f"{gateway}/api/dispatch/providers", headers=admin, json=body))
    ok(httpx.patch(f"{gateway}/api/dispatch/stages/settings", json={"notifyEveryStage": True}, headers=admin))
    try:
        # 1. collect: the call is on record, not yet classified
        title = f"申请开具家庭情况证明{tag}"
        call = {"channel": "phone", "title": title, "callerPhone": new_phone(), "gridId": place.grid["id"]}
        ticket = ok(httpx.post(f"{gateway}/api/dispatch/tickets", json=call, headers=admin))["ticket"]
        assert ticket["stage"] == "classify"
        tid = ticket["id"]

        # 2. classify: the topic category and Zhuji's and Jinghai's two dimensions
        life = next(c for c in categories(platform, platform.a.token) if c["code"] == "citizen_life")
        classified = ok(
            httpx.patch(
                f"{gateway}/api/dispatch/tickets/{tid}",
                headers=admin,
                json={"categoryId": life["id"], "scopeKind": "individual", "difficulty": "solvable_now"},
            )
        )
        assert classified["stage"] == "route"

        def routed_once() -> list[str] | None:  # routing runs off the request path, once there is a category
            actions = [
                h["action"] for h in ok(httpx.get(f"{gateway}/api/dispatch/tickets/{tid}/history", headers=admin))
            ]
            return actions if {"dispatched", "no_candidate"} & set(actions) else None

        until("routing's answer to the classified call", routed_once)
        # 3. route: to the village station's team; 4. supervise: the team signs for it
        ok(
            httpx.post(
                f"{gateway}/api/dispatch/tickets/{tid}/assign", json={"providerId": provider["id"]}, headers=admin
            )
        )

        def offered() -> dict[str, Any] | None:
            return next(
                (o for o in ok(httpx.get(f"{gateway}/api/dispatch/offers", headers=team)) if o["ticketId"] == tid), None
            )

        offer = until("the team's offer", offered)
        ok(httpx.post(f"{gateway}/api/dispatch/offers/{offer['id']}/accept", headers=team))
        assert ok(httpx.get(f"{gateway}/api/dispatch/tickets/{tid}", headers=admin))["stage"] == "supervise"
        # 5. feed back: resolved, the resident's opinion, the callback, closed
        ok(
            httpx.post(
                f"{gateway}/api/dispatch/tickets/{tid}/resolution", json={"note": "证明已代办送达"}, headers=team
            )
        )
        ok(
            httpx.post(
                f"{gateway}/api/dispatch/tickets/{tid}/feedback",
                headers=admin,
                json={"satisfied": True, "handlerScore": 5, "comment": "办得快", "via": "phone"},
            )
        )
        ok(httpx.post(f"{gateway}/api/dispatch/tickets/{tid}/callback", json={"outcome": "reached"}, headers=admin))
        closed = ok(httpx.post(f"{gateway}/api/dispatch/tickets/{tid}/close", headers=admin))
        assert closed["status"] == "closed"

        steps = ok(httpx.get(f"{gateway}/api/dispatch/stages/tickets/{tid}", headers=admin))
        assert [(s["step"], s["state"]) for s in steps["steps"]] == [
            ("collect", "done"),
            ("classify", "done"),
            ("route", "done"),
            ("supervise", "done"),
            ("feed_back", "done"),
        ]
        assert [s["action"] for s in steps["steps"]][3:] == ["accepted", "resolved"]
        assert steps["classification"]["scopeKind"] == "individual"
        assert steps["notifyEveryStage"] is True

        def every_sms() -> list[str] | None:
            log = ok(httpx.get(f"{gateway}/api/dispatch/notifications", params={"ticketId": tid}, headers=admin))
            sent = [n["template"] for n in log["items"] if n["recipientKind"] == "resident"]
            return sent if set(EVERY_STEP) <= set(sent) else None

        assert sorted(until("the resident's SMS of every step", every_sms)) == sorted(EVERY_STEP)
        assert (
            httpx.get(f"{gateway}/api/dispatch/stages/tickets/{tid}", headers=auth(platform.b.token)).status_code == 404
        )
    finally:
        ok(httpx.patch(f"{gateway}/api/dispatch/stages/settings", json={"notifyEveryStage": False}, headers=admin))
