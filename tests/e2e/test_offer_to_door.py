"""An offer reaches a volunteer who is not watching the app, through the real gateway and every process: the SMS
says until when, the volunteer phones in and the desk signs for them, the volunteer then sees where to go, and a
desk that reconnected to the live stream with its last event id is given the change it missed."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import jwt

from tests.e2e.test_dispatch_flow import until
from tests.platform.platform import PASSWORD, RunningPlatform, auth, login, new_user

ADDRESS = "浙江省温州市龙湾区瑶溪街道上河村5号"
CALLER = "13912345670"


class Stream:
    """Server-sent events read off the gateway: (event, data) of ticket changes, with the last id seen."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.id: str | None = None

    def next_change(self, ticket_id: str) -> dict[str, Any]:
        kind, data = "message", ""
        for line in self.lines:
            if line == "":
                change: dict[str, Any] = json.loads(data) if kind == "ticket" else {}
                if change.get("ticket") == ticket_id:
                    return change
                kind, data = "message", ""
                continue
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                kind = value
            elif field == "data":
                data = value
            elif field == "id":
                self.id = value
        raise AssertionError("the stream ended")


@contextmanager
def stream(gateway: str, headers: dict[str, str], last_event_id: str | None = None) -> Iterator[Stream]:
    resume = {"Last-Event-ID": last_event_id} if last_event_id else {}
    timeout = httpx.Timeout(10, read=60)
    with httpx.stream("GET", f"{gateway}/api/dispatch/stream", headers=headers | resume, timeout=timeout) as answer:
        assert answer.status_code == 200, answer.read()
        lines = answer.iter_lines()
        assert next(line for line in lines if line.startswith(":")) == ": listening"
        yield Stream(lines)


def test_a_volunteer_who_phones_in_is_signed_for_and_sees_where_to_go(platform: RunningPlatform) -> None:
    gateway, admin = platform.gateway, auth(platform.a.token)

    def post(path: str, body: dict[str, Any] | None, headers: dict[str, str] = admin) -> dict[str, Any]:
        response = httpx.post(f"{gateway}{path}", json=body, headers=headers)
        assert response.status_code in {200, 201}, (path, response.text)
        answer: dict[str, Any] = response.json()
        return answer

    roots = {n["tree"]: n for n in httpx.get(f"{gateway}/api/orgtree/nodes", headers=admin).json()["items"]}
    street = post(
        "/api/orgtree/nodes", {"parentId": roots["administrative"]["id"], "level": "street", "name": "永兴街道"}
    )
    village = post("/api/orgtree/nodes", {"parentId": street["id"], "level": "village", "name": "下河村"})
    grid = post("/api/orgtree/nodes", {"parentId": village["id"], "level": "grid", "name": "下河一组网格"})
    volunteer_token = login(gateway, new_user(gateway, platform.a.token, "plumber", ["volunteer"]), PASSWORD)
    volunteer = auth(volunteer_token["accessToken"])
    user_id = jwt.decode(volunteer_token["accessToken"], options={"verify_signature": False})["sub"]
    desk = auth(
        login(gateway, new_user(gateway, platform.a.token, "desk", ["hotline_operator"]), PASSWORD)["accessToken"]
    )
    catalogue = until("the hotline's setup", lambda: httpx.get(f"{gateway}/api/dispatch/catalogue", headers=desk))
    life = next(c for c in catalogue.json() if c["code"] == "citizen_life")
    assert life["answerWindowMinutes"] == 10
    provider = {"kind": "skilled_resident", "name": f"李师傅{uuid.uuid4().hex[:4]}", "skills": ["plumbing"]}
    provider |= {"gridId": grid["id"], "phone": "13900001111", "userId": user_id}

    def register() -> dict[str, Any] | None:  # 422 until GridCreated has reached dispatch's directory
        response = httpx.post(f"{gateway}/api/dispatch/providers", json=provider, headers=admin)
        return response.json() if response.status_code == 201 else None

    until("the grid in dispatch's directory", register)
    plumbing = next(i["id"] for i in life["items"] if i["code"] == "plumbing")
    call = {"channel": "phone", "title": "水管爆裂", "callerPhone": CALLER, "address": ADDRESS}
    call |= {"gridId": grid["id"], "categoryId": life["id"], "itemId": plumbing}
    ticket = post("/api/dispatch/tickets", call, desk)["ticket"]

    [offer] = until("the offer", lambda: httpx.get(f"{gateway}/api/dispatch/offers", headers=volunteer).json())
    assert offer["ticketId"] == ticket["id"]
    assert offer["address"] != ADDRESS  # masked until the order is theirs

    def offer_sms() -> list[str]:
        sent = httpx.get(f"{gateway}/api/dispatch/dev-outbox", headers=admin).json()
        return [m["text"] for m in sent if m["template"] == "offer_made" and ticket["number"] in m["text"]]

    [text] = until("the offer SMS", offer_sms)
    assert "前（10分钟内）登录系统签收或婉拒，也可致电96345由话务员代为签收" in text

    with stream(gateway, desk) as live:
        signed = post(f"/api/dispatch/tickets/{ticket['id']}/offers/{offer['id']}/accept", None, desk)
        assert signed["acceptedOnBehalfBy"] is not None
        assert live.next_change(ticket["id"])["action"] == "accepted"
        last_seen = live.id
    assert last_seen is not None

    [listed] = httpx.get(f"{gateway}/api/dispatch/tasks", headers=volunteer).json()  # the list masks them
    task = httpx.get(f"{gateway}/api/dispatch/tasks/{listed['ticketId']}", headers=volunteer).json()
    assert (task["ticketId"], task["address"], task["callerPhone"]) == (ticket["id"], ADDRESS, CALLER)
    post(f"/api/dispatch/tickets/{ticket['id']}/arrival", None, volunteer)  # while the desk was away
    with stream(gateway, desk, last_event_id=last_seen) as resumed:
        missed = resumed.next_change(ticket["id"])
        assert (missed["action"], missed["status"]) == ("arrived", "on_site")
