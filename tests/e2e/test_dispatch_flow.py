"""The hotline end to end through the gateway, every process real: orgtree's tree, member and red-cell link
reach dispatch through the outbox, the member checks in to pre-service training (which a new district requires
before its member volunteers are offered tickets), a call for that household is offered to the member who serves
it, the member signs for it, and the other district sees none of it."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest

from tests.platform.platform import PASSWORD, RunningPlatform, auth, login, new_user


def until(what: str, probe: Callable[[], Any], timeout_s: float = 30) -> Any:
    """Poll ``probe`` until it returns something truthy (events cross processes)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    msg = f"{what} never happened"
    raise TimeoutError(msg)


def complete_pre_service(gateway: str, organiser: dict[str, str], attendee: dict[str, str]) -> dict[str, Any]:
    """The organiser holds a 96345 pre-service session open for check-in now and the attendee scans its code,
    once training has the attendee among its people (orgtree's member event); returns the check-in."""

    def programme() -> str | None:
        listed = httpx.get(f"{gateway}/api/training/programmes", headers=organiser).json()
        return next((p["id"] for p in listed if p["code"] == "volunteer_pre_service"), None)

    starts = datetime.now(UTC)
    body = {
        "programmeId": until("the training catalogue", programme),
        "title": "96345志愿者岗前培训",
        "place": "瑶溪街道96345志愿服务站",
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=4)).isoformat(),
    }
    created = httpx.post(f"{gateway}/api/training/sessions", json=body, headers=organiser)
    assert created.status_code == 201, created.text
    code_path = f"{gateway}/api/training/sessions/{created.json()['id']}/checkin-code"

    def scan() -> dict[str, Any] | None:  # 404 until the member has reached training's people
        code = httpx.get(code_path, headers=organiser)
        assert code.status_code == 200, code.text
        answer = httpx.post(f"{gateway}/api/training/checkins", json={"code": code.json()["code"]}, headers=attendee)
        assert answer.status_code in {200, 201, 404}, answer.text
        found: dict[str, Any] | None = answer.json() if answer.status_code != 404 else None
        return found

    checked_in: dict[str, Any] = until("the check-in", scan)
    return checked_in


def volunteer_of(gateway: str, headers: dict[str, str], grid_id: str, member_id: str) -> dict[str, Any] | None:
    """The member's provider entry in dispatch (None until orgtree's member event has arrived there)."""
    query = {"gridId": grid_id, "kind": "member_volunteer"}
    listed = httpx.get(f"{gateway}/api/dispatch/providers", params=query, headers=headers).json()
    return next((p for p in listed["items"] if p["memberId"] == member_id), None)


def trained_in_dispatch(gateway: str, headers: dict[str, str], grid_id: str, member_id: str) -> dict[str, Any]:
    """The member's provider entry once training's completion has reached dispatch."""

    def trained() -> dict[str, Any] | None:
        provider = volunteer_of(gateway, headers, grid_id, member_id)
        return provider if provider and provider["preServiceCompletedAt"] else None

    found: dict[str, Any] = until("the completion in dispatch", trained)
    return found


def created(gateway: str, path: str, body: dict[str, Any] | None, headers: dict[str, str]) -> dict[str, Any]:
    """POST through the gateway; the answer, which must be a 200 or 201."""
    response = httpx.post(f"{gateway}{path}", json=body, headers=headers)
    assert response.status_code in {200, 201}, (path, response.text)
    answer: dict[str, Any] = response.json()
    return answer


@pytest.mark.parametrize("cell", ["main", "east"])
def test_a_call_for_a_household_is_offered_to_its_member_and_signed_for(platform: RunningPlatform, cell: str) -> None:
    """Walked in each district: the first's rows on the main PostgreSQL cluster, the second's on another cell."""
    district, neighbour = (platform.a, platform.b) if cell == "main" else (platform.b, platform.a)
    gateway, admin = platform.gateway, auth(district.token)

    def post(path: str, body: dict[str, Any], headers: dict[str, str] = admin) -> dict[str, Any]:
        return created(gateway, path, body, headers)

    roots = {n["tree"]: n for n in httpx.get(f"{gateway}/api/orgtree/nodes", headers=admin).json()["items"]}
    street = post(
        "/api/orgtree/nodes", {"parentId": roots["administrative"]["id"], "level": "street", "name": "瑶溪街道"}
    )
    village = post("/api/orgtree/nodes", {"parentId": street["id"], "level": "village", "name": "上河村"})
    grid = post("/api/orgtree/nodes", {"parentId": village["id"], "level": "grid", "name": "上河一组网格"})
    committee = post(
        "/api/orgtree/nodes",
        {"parentId": roots["party"]["id"], "level": "street_working_committee", "name": "瑶溪街道党工委"},
    )
    branch = post(
        "/api/orgtree/nodes",
        {"parentId": committee["id"], "level": "branch", "name": "上河村党支部", "linkedNodeId": village["id"]},
    )
    volunteer = new_user(gateway, district.token, "volunteer", ["member", "volunteer"])
    token = login(gateway, volunteer, PASSWORD)["accessToken"]
    user_id = jwt.decode(token, options={"verify_signature": False})["sub"]
    member = post(
        "/api/orgtree/members", {"name": "林志红", "branchId": branch["id"], "gridId": grid["id"], "userId": user_id}
    )
    household = post("/api/orgtree/households", {"gridId": grid["id"], "label": "1组3号", "phone": "13912345678"})
    post(f"/api/orgtree/members/{member['id']}/households", {"householdId": household["id"]})
    mine = auth(token)
    # A new district offers its member volunteers tickets only after pre-service training: the member checks in
    # to a session, and training's completion reaches dispatch.
    checked_in = complete_pre_service(gateway, admin, mine)
    assert checked_in["alreadyCheckedIn"] is False

    assert trained_in_dispatch(gateway, admin, grid["id"], member["id"])["awaitingPreService"] is False

    call = {
        "channel": "phone",
        "title": "水管爆裂",
        "callerPhone": "13912345678",
        "householdId": household["id"],
    }
    catalogue = until("the hotline's setup", lambda: httpx.get(f"{gateway}/api/dispatch/catalogue", headers=admin))
    life = next(c for c in catalogue.json() if c["code"] == "citizen_life")
    call |= {"categoryId": life["id"], "itemId": next(i["id"] for i in life["items"] if i["code"] == "plumbing")}

    def file_call() -> dict[str, Any] | None:  # 422 until HouseholdPlaced has reached dispatch's directory
        response = httpx.post(f"{gateway}/api/dispatch/tickets", json=call, headers=admin)
        return response.json()["ticket"] if response.status_code == 201 else None

    ticket = until("the household in dispatch's directory", file_call)
    assert ticket["gridId"] == grid["id"]

    offers = until("the offer", lambda: httpx.get(f"{gateway}/api/dispatch/offers", headers=mine).json())
    assert [o["ticketId"] for o in offers] == [ticket["id"]]
    assert offers[0]["reasons"][0] == "serves_household"
    accepted = httpx.post(f"{gateway}/api/dispatch/offers/{offers[0]['id']}/accept", headers=mine)
    assert accepted.status_code == 200, accepted.text
    seen = httpx.get(f"{gateway}/api/dispatch/tickets/{ticket['id']}", headers=admin).json()
    assert seen["status"] == "assigned"
    assert seen["acceptedAt"] is not None

    caller = httpx.post(f"{gateway}/api/dispatch/callers/lookup", json={"phone": "13912345678"}, headers=admin).json()
    assert [t["id"] for t in caller["earlierTickets"]] == [ticket["id"]]
    assert caller["households"]["status"] == "found"  # asked orgtree with the operator's own token
    assert [h["id"] for h in caller["households"]["items"]] == [household["id"]]

    other = auth(neighbour.token)
    assert httpx.get(f"{gateway}/api/dispatch/tickets/{ticket['id']}", headers=other).status_code == 404
    listed = httpx.get(f"{gateway}/api/dispatch/tickets", headers=other).json()["items"]
    assert ticket["id"] not in {t["id"] for t in listed}
