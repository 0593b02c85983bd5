"""Volunteers are dispatched only after pre-service training (DSP-12, EVT-14), end to end through the gateway with
every process real: a member volunteer orgtree registers is not offered a call for the household they serve; they
check in to a 96345 pre-service session with the organiser's changing code; training's completion reaches dispatch
through the outbox, and the next call is offered to them."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import jwt

from tests.e2e.test_dispatch_flow import complete_pre_service, created, trained_in_dispatch, until, volunteer_of
from tests.platform.platform import PASSWORD, RunningPlatform, auth, login, new_user


def test_a_volunteer_is_offered_calls_only_after_pre_service_training(platform: RunningPlatform) -> None:
    gateway, admin = platform.gateway, auth(platform.a.token)

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        return created(gateway, path, body, admin)

    def unit(parent: dict[str, Any], level: str, name: str, **extra: Any) -> dict[str, Any]:
        return post("/api/orgtree/nodes", {"parentId": parent["id"], "level": level, "name": name, **extra})

    tag = uuid.uuid4().hex[:4]
    roots = {n["tree"]: n for n in httpx.get(f"{gateway}/api/orgtree/nodes", headers=admin).json()["items"]}
    village = unit(unit(roots["administrative"], "street", f"培训街道{tag}"), "village", f"岗前村{tag}")
    grid = unit(village, "grid", f"岗前村{tag}一网格")
    committee = unit(roots["party"], "street_working_committee", f"培训街道{tag}党工委")
    branch = unit(committee, "branch", f"岗前村{tag}党支部", linkedNodeId=village["id"])
    token = login(gateway, new_user(gateway, platform.a.token, "trainee", ["member", "volunteer"]), PASSWORD)
    mine = auth(token["accessToken"])
    user_id = jwt.decode(token["accessToken"], options={"verify_signature": False})["sub"]
    serving = {"name": "陈岗前", "branchId": branch["id"], "gridId": grid["id"], "userId": user_id}
    member = post("/api/orgtree/members", serving)
    household = post("/api/orgtree/households", {"gridId": grid["id"], "label": "2组8号", "phone": "13912340808"})
    post(f"/api/orgtree/members/{member['id']}/households", {"householdId": household["id"]})

    volunteer = until(
        "the member volunteer in dispatch", lambda: volunteer_of(gateway, admin, grid["id"], member["id"])
    )
    assert (volunteer["preServiceCompletedAt"], volunteer["awaitingPreService"]) == (None, True)
    catalogue = httpx.get(f"{gateway}/api/dispatch/catalogue", headers=admin).json()
    life = next(c for c in catalogue if c["code"] == "citizen_life")
    plumbing = next(i["id"] for i in life["items"] if i["code"] == "plumbing")

    def call(title: str) -> dict[str, Any]:
        """A call from the household, routed by the worker (the first waits for the household in the directory)."""
        body = {"channel": "phone", "title": title, "householdId": household["id"], "categoryId": life["id"]}
        body["itemId"] = plumbing

        def file() -> dict[str, Any] | None:
            response = httpx.post(f"{gateway}/api/dispatch/tickets", json=body, headers=admin)
            return response.json()["ticket"] if response.status_code == 201 else None

        ticket: dict[str, Any] = until("the household in dispatch's directory", file)

        def routed() -> list[str]:
            history = httpx.get(f"{gateway}/api/dispatch/tickets/{ticket['id']}/history", headers=admin).json()
            return [h["action"] for h in history if h["action"] in {"dispatched", "no_candidate"}]

        until("routing", routed)
        return ticket

    before = call("水管漏水，楼下渗水")
    offered = httpx.get(f"{gateway}/api/dispatch/tickets/{before['id']}/offers", headers=admin).json()
    assert volunteer["id"] not in [o["providerId"] for o in offered]  # another provider of the district, or nobody
    assert httpx.get(f"{gateway}/api/dispatch/offers", headers=mine).json() == []
    assign = {"providerId": volunteer["id"]}  # nor can the desk hand it to them
    refused = httpx.post(f"{gateway}/api/dispatch/tickets/{before['id']}/assign", json=assign, headers=admin)
    assert refused.status_code == 409, refused.text
    assert "has not completed pre-service training" in refused.json()["detail"]

    assert complete_pre_service(gateway, admin, mine)["alreadyCheckedIn"] is False

    assert trained_in_dispatch(gateway, admin, grid["id"], member["id"])["awaitingPreService"] is False
    after = call("厨房水龙头坏了")
    offers = until("the offer", lambda: httpx.get(f"{gateway}/api/dispatch/offers", headers=mine).json())
    assert [o["ticketId"] for o in offers] == [after["id"]]
    assert offers[0]["reasons"][0] == "serves_household"
