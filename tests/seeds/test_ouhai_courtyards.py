"""System 5 of issue 16, Ouhai's "71" network [004], its 7171 lines walked through the gateway (DSP-02): 瓯海区's
administrator publishes a number for the district, for 潘桥街道 and for 潘北社区, each ending in 7171 (made up, as the
seed gives only the suffix, and marked so); a resident phones the community's line and the hotline operator takes
the call on it: the ticket is placed at 潘北社区, whose cadre finds it in their queue while a cadre of another
street does not; a number the district does not publish is refused by name. Another district sees none of it.

The courtyards' cadre contacts and four-season programmes (the rest of system 5) are not part of this story."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.console.support import until
from tests.seeds.conftest import RunningPlatform, auth, login, new_user


def post(platform: RunningPlatform, path: str, body: dict[str, Any], token: str) -> dict[str, Any]:
    response = httpx.post(f"{platform.gateway}{path}", json=body, headers=auth(token))
    assert response.status_code in (200, 201), (path, response.text)
    answer: dict[str, Any] = response.json()
    return answer


def signed_in(
    platform: RunningPlatform, admin: str, prefix: str, roles: list[str], scope: str | None = None
) -> dict[str, str]:
    """A new login of the district with ``roles`` (and ``scope``), signed in: its headers."""
    username = new_user(platform.gateway, admin, prefix, roles, scope=scope)
    return auth(login(platform.gateway, username)["accessToken"])


def unit(platform: RunningPlatform, admin: str, parent: dict[str, Any], level: str, name: str) -> dict[str, Any]:
    return post(platform, "/api/orgtree/nodes", {"parentId": parent["id"], "level": level, "name": name}, admin)


def test_a_call_on_a_community_7171_line_is_placed_at_the_community(platform: RunningPlatform) -> None:
    ouhai, tag = platform.b, uuid.uuid4().hex[:4]
    admin = ouhai.token
    nodes = httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=auth(admin)).json()["items"]
    root = next(n for n in nodes if n["tree"] == "administrative")
    street = unit(platform, admin, root, "street", f"潘桥街道{tag}")
    panbei = unit(platform, admin, street, "community", f"潘北社区{tag}")
    unit(platform, admin, panbei, "grid", f"潘北社区{tag}一网格")
    other = unit(platform, admin, root, "street", f"景山街道{tag}")

    def units() -> list[str] | None:
        listed = httpx.get(f"{platform.gateway}/api/dispatch/numbers/units", headers=auth(admin))
        ids = [u["id"] for u in listed.json()] if listed.status_code == 200 else []
        return ids if panbei["id"] in ids else None

    assert street["id"] in until("潘北社区 in dispatch's directory", units)
    serial = int(tag, 16) % 1000
    lines = {
        "district": (f"05778{serial:03d}07171", root["id"], "瓯海区民生热线"),
        "street": (f"05778{serial:03d}17171", street["id"], "潘桥街道民生热线"),
        "community": (f"05778{serial:03d}27171", panbei["id"], "潘北社区民生热线"),
    }
    for number, owner, label in lines.values():
        body = {"number": number, "unitId": owner, "label": label, "synthetic": True}
        added = post(platform, "/api/dispatch/numbers", body, admin)
        assert added["number"].endswith("7171")
        assert added["synthetic"] is True
    listed = httpx.get(f"{platform.gateway}/api/dispatch/numbers", headers=auth(admin)).json()
    ours = {n["number"]: n for n in listed}
    assert ours[lines["community"][0]]["unitName"] == f"潘北社区{tag}"
    assert ours[lines["street"][0]]["unitLevel"] == "street"

    # a resident phones 潘北社区's line; the operator takes the call on it
    desk = signed_in(platform, admin, "ouhai-desk", ["hotline_operator"])
    dialled = lines["community"][0][:4] + "-" + lines["community"][0][4:]  # as the resident reads it: 0577-…7171
    call = {
        "channel": "phone",
        "title": f"小区门口路灯不亮{tag}",
        "dialledNumber": dialled,
        "callerPhone": "13957717171",
    }
    taken = httpx.post(f"{platform.gateway}/api/dispatch/tickets", json=call, headers=desk)
    assert taken.status_code == 201, taken.text
    ticket = taken.json()["ticket"]
    assert ticket["unitId"] == panbei["id"]
    assert ticket["dialledNumber"] == lines["community"][0]
    assert ticket["callerPhone"] != "13957717171"  # masked

    cadre = signed_in(platform, admin, "panbei", ["community_cadre"], scope=panbei["path"])
    queue = httpx.get(f"{platform.gateway}/api/dispatch/tickets", params={"status": "new"}, headers=cadre).json()
    assert ticket["id"] in [t["id"] for t in queue["items"]]
    outsider = signed_in(platform, admin, "jingshan", ["street_admin"], scope=other["path"])
    assert httpx.get(f"{platform.gateway}/api/dispatch/tickets/{ticket['id']}", headers=outsider).status_code == 404

    unknown = httpx.post(
        f"{platform.gateway}/api/dispatch/tickets", headers=desk, json={**call, "dialledNumber": "057700000000"}
    )
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["body.dialledNumber"]

    # 龙湾区 sees none of Ouhai's lines, and its calls cannot be placed on them
    longwan = auth(platform.a.token)
    theirs = httpx.get(f"{platform.gateway}/api/dispatch/numbers", headers=longwan).json()
    assert all(n["number"] not in ours for n in theirs)
    moved = httpx.patch(
        f"{platform.gateway}/api/dispatch/numbers/{ours[lines['community'][0]]['id']}",
        json={"label": "改"},
        headers=longwan,
    )
    assert moved.status_code == 404
    elsewhere = httpx.post(f"{platform.gateway}/api/dispatch/tickets", json=call, headers=longwan)
    assert elsewhere.status_code == 422
