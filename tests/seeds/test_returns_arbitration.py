"""Returned orders with arbitration of disputed returns (issue 16, DSP-18 退单审定), walked through the gateway: a case
escalated to a village is returned by the village, citing the neighbouring village's grid boundary; the ticket stays
open with the village meanwhile; the street (the unit above) rules the return upheld and names the neighbouring
village, which returns it in turn citing the responsibility list; the street rejects that, so the case stays there.
The ping-pong report counts both villages' returns and the ticket returned twice; the ticket's history shows each
step. Another district sees none of it."""

from __future__ import annotations

from typing import Any

import httpx

from tests.console.support import escalate, grid_ticket, street_with_grid, until
from tests.seeds.conftest import RunningPlatform, auth, login, new_user

RETURNS = "returns"


def call(platform: RunningPlatform, method: str, path: str, token: str, body: Any = None, *, status: int = 200) -> Any:
    response = httpx.request(method, f"{platform.gateway}/api/dispatch/{path}", json=body, headers=auth(token))
    assert response.status_code == status, (path, response.text)
    return response.json()


def node(platform: RunningPlatform, parent: str, level: str, name: str) -> dict[str, Any]:
    body = {"parentId": parent, "level": level, "name": name}
    made = httpx.post(f"{platform.gateway}/api/orgtree/nodes", json=body, headers=auth(platform.a.token))
    assert made.status_code == 201, made.text
    created: dict[str, Any] = made.json()
    return created


def cadre(platform: RunningPlatform, prefix: str, role: str, scope: str) -> str:
    username = new_user(platform.gateway, platform.a.token, prefix, [role], scope=scope)
    token: str = login(platform.gateway, username)["accessToken"]
    return token


def test_a_disputed_return_is_ruled_by_the_street_and_the_ping_pong_is_counted(platform: RunningPlatform) -> None:
    place = street_with_grid(platform, "审定街道")
    first_village = place.grid["parentId"]
    second_village = node(platform, place.node["id"], "village", "审定街道二村")
    second_grid = node(platform, second_village["id"], "grid", "审定街道二村网格")
    admin = platform.a.token

    def in_directory() -> bool:
        units = call(platform, "GET", "numbers/units", admin)
        return any(unit["id"] == second_grid["id"] for unit in units)

    until("the second village's grid in dispatch", in_directory)
    ticket = grid_ticket(platform, admin, place.grid, "河道边垃圾堆积")
    escalate(platform, admin, ticket, 1)  # the grid cannot solve it: the first village owns it now
    village_path = place.grid["path"].rsplit("/", 2)[0] + "/"
    first = cadre(platform, "v1", "community_cadre", village_path)
    second = cadre(platform, "v2", "community_cadre", second_village["path"])
    street = cadre(platform, "st", "street_admin", place.node["path"])

    # 1. the first village returns it, citing the second village's grid boundary
    evidence = {
        "ticketId": ticket["id"],
        "basis": "grid_boundary",
        "gridId": second_grid["id"],
        "citation": "网格划分图：河道东岸属二村网格",
        "reason": "堆积点在河道东岸，不在本村",
        "proposedUnitId": second_village["id"],
    }
    filed = call(platform, "POST", RETURNS, first, evidence, status=201)
    assert (filed["returningUnitId"], filed["rulingUnitId"], filed["state"]) == (
        first_village,
        place.node["id"],
        "pending",
    )
    assert call(platform, "GET", f"tickets/{ticket['id']}", first)["unitId"] == first_village  # still theirs
    call(platform, "POST", f"{RETURNS}/{filed['id']}/ruling", first, {"decision": "reject", "note": "自审"}, status=403)

    # 2. the street finds it awaiting its ruling and upholds it, naming the second village
    awaiting = call(platform, "GET", f"{RETURNS}?state=pending&side=ruling", street)
    assert [(row["id"], row["mayRule"]) for row in awaiting] == [(filed["id"], True)]
    uphold = {"decision": "uphold", "assignToUnitId": second_village["id"], "note": "核对网格图，属二村"}
    ruled = call(platform, "POST", f"{RETURNS}/{filed['id']}/ruling", street, uphold)
    assert (ruled["state"], ruled["assignedUnitName"]) == ("upheld", "审定街道二村")
    assert call(platform, "GET", f"tickets/{ticket['id']}", second)["unitId"] == second_village["id"]

    # 3. the second village returns it in turn, citing the responsibility list; the street rejects that
    catalogue = call(platform, "GET", "catalogue", admin)
    item = catalogue[0]["items"][0]
    listed = {
        "ticketId": ticket["id"],
        "basis": "responsibility_list",
        "itemId": item["id"],
        "proposedUnitId": first_village,
        "citation": f"责任清单：{item['name']}由事发地所在村负责",
        "reason": "清单所列由一村负责",
    }
    back = call(platform, "POST", RETURNS, second, listed, status=201)
    reject = {"decision": "reject", "note": "已有审定，由二村办理"}
    assert call(platform, "POST", f"{RETURNS}/{back['id']}/ruling", street, reject)["state"] == "rejected"
    assert call(platform, "GET", f"tickets/{ticket['id']}", second)["unitId"] == second_village["id"]

    # 4. the ping-pong report and the ticket's history
    report = call(platform, "GET", f"{RETURNS}/report", street)
    by_unit = {u["unitId"]: (u["made"], u["upheld"], u["rejected"], u["returnedMoreThanOnce"]) for u in report["units"]}
    assert by_unit == {first_village: (1, 1, 0, 1), second_village["id"]: (1, 0, 1, 1)}
    assert (report["total"]["made"], report["total"]["returnedMoreThanOnce"]) == (2, 1)
    history = call(platform, "GET", f"tickets/{ticket['id']}/history", admin)
    returns = [row["action"] for row in history if row["action"].startswith("return_")]
    assert returns == ["return_filed", "return_upheld", "return_filed", "return_rejected"]

    # another district sees none of it
    other = httpx.get(f"{platform.gateway}/api/dispatch/{RETURNS}/{filed['id']}", headers=auth(platform.b.token))
    assert other.status_code == 404
