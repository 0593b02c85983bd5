"""A call reaches the desk: the hotline operator's caller lookup, through the gateway, asks orgtree with the
operator's own token and finds the caller's household and the red-cell member who serves it; the other
district's household with the same number is not found."""

from __future__ import annotations

from typing import Any

import httpx

from tests.platform.platform import PASSWORD, RunningPlatform, auth, login, new_user

CALLER = "13957700101"
ELSEWHERE_ONLY = "13957700102"


class District:
    def __init__(self, gateway: str, token: str) -> None:
        self.gateway, self.headers = gateway, auth(token)

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = httpx.post(f"{self.gateway}{path}", json=body, headers=self.headers)
        assert response.status_code in {200, 201}, (path, response.text)
        answer: dict[str, Any] = response.json()
        return answer

    def grid_and_branch(self, street: str) -> tuple[dict[str, Any], dict[str, Any]]:
        nodes = httpx.get(f"{self.gateway}/api/orgtree/nodes", headers=self.headers).json()["items"]
        roots = {n["tree"]: n for n in nodes}
        unit = self.unit(roots["administrative"], "street", street)
        village = self.unit(unit, "village", "来电村")
        committee = self.unit(roots["party"], "street_working_committee", f"{street}党工委")
        branch = self.unit(committee, "branch", "来电村党支部", linkedNodeId=village["id"])
        return self.unit(village, "grid", "来电村一网格"), branch

    def unit(self, parent: dict[str, Any], level: str, name: str, **extra: Any) -> dict[str, Any]:
        return self.post("/api/orgtree/nodes", {"parentId": parent["id"], "level": level, "name": name, **extra})


def operator_of(platform: RunningPlatform, admin_token: str) -> dict[str, str]:
    """A new hotline operator of the admin's district, signed in."""
    username = new_user(platform.gateway, admin_token, "desk", ["hotline_operator"])
    return auth(login(platform.gateway, username, PASSWORD)["accessToken"])


def test_the_operator_finds_the_callers_household_and_its_member(platform: RunningPlatform) -> None:
    gateway = platform.gateway
    a, b = District(gateway, platform.a.token), District(gateway, platform.b.token)
    grid, branch = a.grid_and_branch("来电街道")
    member_body = {"name": "林志红", "branchId": branch["id"], "gridId": grid["id"], "phone": "13957700201"}
    member = a.post("/api/orgtree/members", member_body)
    household_body = {"gridId": grid["id"], "label": "1组9号", "headName": "王建国", "phone": CALLER}
    household = a.post("/api/orgtree/households", household_body)
    a.post(f"/api/orgtree/members/{member['id']}/households", {"householdId": household["id"]})
    b_grid, _ = b.grid_and_branch("来电街道")
    theirs = b.post("/api/orgtree/households", {"gridId": b_grid["id"], "label": "同号户", "phone": CALLER})
    b.post("/api/orgtree/households", {"gridId": b_grid["id"], "label": "别区户", "phone": ELSEWHERE_ONLY})

    desk = operator_of(platform, platform.a.token)
    caller = httpx.post(f"{gateway}/api/dispatch/callers/lookup", json={"phone": CALLER}, headers=desk)
    assert caller.status_code == 200, caller.text
    households = caller.json()["households"]
    assert households["status"] == "found", households
    [found] = households["items"]
    assert (found["id"], found["gridId"], found["gridName"]) == (household["id"], grid["id"], "来电村一网格")
    assert (found["headName"], found["phone"]) == ("王**", "139****0101")
    assert found["servedBy"] == [{"memberId": member["id"], "name": "林志红", "phone": "139****0201"}]

    other = httpx.post(f"{gateway}/api/dispatch/callers/lookup", json={"phone": ELSEWHERE_ONLY}, headers=desk)
    assert other.json()["households"] == {"status": "not_found", "items": [], "message": None}
    other_desk = b.headers  # the other district's admin at its own desk (no user added there: other tests count them)
    theirs_found = httpx.post(f"{gateway}/api/dispatch/callers/lookup", json={"phone": CALLER}, headers=other_desk)
    assert [h["id"] for h in theirs_found.json()["households"]["items"]] == [theirs["id"]]

    # the operator's door into orgtree is this lookup only
    assert (
        httpx.post(f"{gateway}/api/orgtree/households/lookup", json={"phone": CALLER}, headers=desk).status_code == 403
    )
    reveal = {"field": "phone", "purpose": "回访"}
    revealed = httpx.post(f"{gateway}/api/orgtree/households/{household['id']}/reveal", json=reveal, headers=desk)
    assert revealed.status_code == 403
