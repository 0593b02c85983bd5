"""A member moves from one district to another (GW-03, ORG-17), end to end through the gateway: 龙湾区's admin offers
the member to 瓯海区; 瓯海区's admin sees the offer with the name masked and the member's training history, refuses a
unit that is not a party branch, and accepts into a branch. 瓯海区 then has the member, with the transfer in the
membership history and the training history carried over and counted; 龙湾区 has recorded the member as transferred
out. A declined offer leaves the member where they were."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.platform.platform import RunningPlatform, auth
from tests.seeds.story import created, until, village

OFFERS = "/transfers/offers"


def _get(gateway: str, path: str, headers: dict[str, str], **params: Any) -> httpx.Response:
    return httpx.get(f"{gateway}{path}", headers=headers, params=params)


def _training_history(gateway: str, admin: dict[str, str], name: str) -> tuple[str, list[int]]:
    """A session attended (checked in by hand) and three points by hand, once training has the member; the credit
    hours and the points entries (the attendance's own points come through training's event) as the district has
    them."""

    def person() -> dict[str, Any] | None:
        items = _get(gateway, "/api/training/people", admin, q=name).json()["items"]
        return items[0] if items else None

    found = until("the member in training", person)
    programme = _get(gateway, "/api/training/programmes", admin).json()[0]
    starts = datetime.now(UTC) - timedelta(hours=3)
    session = {
        "programmeId": programme["id"],
        "title": "党章党规学习（示例）",
        "place": "龙湾区党群服务中心",
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=2)).isoformat(),
    }
    held = created(gateway, "/api/training/sessions", session, admin)
    attended = {"personId": found["id"], "reason": "现场签到（示例）"}
    created(gateway, f"/api/training/sessions/{held['id']}/attendance", attended, admin)
    points = {"personId": found["id"], "category": "visit", "points": 3, "reason": "走访入户（示例）"}
    created(gateway, "/api/training/points", points, admin)

    def ledger() -> list[int] | None:
        entries = _get(gateway, f"/api/training/people/{found['id']}/points", admin).json()["items"]
        return sorted(e["points"] for e in entries) if len(entries) == 2 else None

    return f"{held['creditHours']:.1f}", until("the attendance's points", ledger)


def test_a_member_moves_to_another_district_with_their_training_history(platform: RunningPlatform) -> None:
    gateway, sender, receiver = platform.gateway, auth(platform.a.token), auth(platform.b.token)
    home = village(platform, sender, "转出")
    name = "周明远（示例）"
    person = {"name": name, "branchId": home.branch["id"], "joinedOn": "2009-07-01"}
    member = created(gateway, "/api/orgtree/members", person, sender)
    hours, points = _training_history(gateway, sender, name)

    body = {
        "memberId": member["id"],
        "toDistrict": platform.b.slug,
        "reason": "随子女迁居（示例）",
        "transferOn": "2026-12-01",
    }
    offer = created(gateway, OFFERS, body, sender)
    assert (offer["status"], offer["direction"], offer["toDistrict"]["name"]) == ("offered", "outgoing", "瓯海区")
    again = httpx.post(f"{gateway}{OFFERS}", json=body, headers=sender)
    assert again.status_code == 409, again.text  # already leaving: nothing more is stored

    def incoming() -> dict[str, Any] | None:
        offers = _get(gateway, OFFERS, receiver, direction="incoming").json()
        return next((o for o in offers if o["id"] == offer["id"] and o["history"] and o["member"]), None)

    seen = until("the offer with the member's history", incoming)
    assert seen["member"]["name"] == "周" + "*" * (len(name) - 1)  # masked until accepted
    assert seen["history"] == {"attendance": 1, "creditHours": hours, "points": sum(points), "assessments": 0}
    assert seen["fromDistrict"]["name"] == "龙湾区"

    there = village(platform, receiver, "转入")
    wrong = httpx.post(
        f"{gateway}{OFFERS}/{offer['id']}/accept", json={"branchId": there.village["id"]}, headers=receiver
    )
    assert wrong.status_code == 422, wrong.text
    assert wrong.json()["errors"][0]["field"] == "body.branchId"
    foreign = httpx.post(
        f"{gateway}{OFFERS}/{offer['id']}/accept", json={"branchId": home.branch["id"]}, headers=receiver
    )
    assert foreign.status_code == 422, foreign.text  # the sending district's branch is not the receiver's

    accepted = created(gateway, f"{OFFERS}/{offer['id']}/accept", {"branchId": there.branch["id"]}, receiver)
    assert (accepted["status"], accepted["member"]["name"]) == ("accepted", name)
    new_id = accepted["memberId"]

    def arrived() -> dict[str, Any] | None:
        answer = _get(gateway, f"/api/orgtree/members/{new_id}", receiver)
        return answer.json() if answer.status_code == 200 else None

    now_there = until("the member in 瓯海区", arrived)
    assert (now_there["name"], now_there["branchId"], now_there["joinedOn"]) == (name, there.branch["id"], "2009-07-01")
    steps = _get(gateway, f"/api/orgtree/members/{new_id}/transfers", receiver).json()
    assert [(s["toBranchId"], s["transferredOn"], s["note"]) for s in steps] == [
        (there.branch["id"], "2026-12-01", "转入自龙湾区：随子女迁居（示例）")
    ]

    def carried() -> dict[str, Any] | None:
        answer = _get(gateway, "/api/training/transfers/carried-over", receiver, memberId=new_id)
        return answer.json() if answer.status_code == 200 and answer.json()["records"] else None

    history = until("the carried-over history", carried)
    assert (history["creditHours"], history["points"]) == (hours, sum(points))
    assert sorted((r["kind"], r["fromDistrict"]) for r in history["records"]) == [
        ("attendance", "龙湾区"),
        ("points", "龙湾区"),
        ("points", "龙湾区"),
    ]
    people = _get(gateway, "/api/training/people", receiver, q=name).json()["items"]
    ledger = _get(gateway, f"/api/training/people/{people[0]['id']}/points", receiver).json()
    assert sorted(e["points"] for e in ledger["items"]) == points  # counted in the receiving district's ledger

    def gone() -> bool:
        return _get(gateway, f"/api/orgtree/members/{member['id']}", sender).status_code == 404

    until("the member off 龙湾区's rolls", gone)
    out = _get(gateway, "/api/orgtree/transfers", sender, memberId=member["id"]).json()
    assert [(t["direction"], t["status"], t["otherDistrict"]) for t in out] == [("out", "transferred", "瓯海区")]
    assert _get(gateway, f"{OFFERS}/{offer['id']}", sender).json()["status"] == "accepted"


def test_a_declined_offer_leaves_the_member_where_they_were(platform: RunningPlatform) -> None:
    gateway, sender, receiver = platform.gateway, auth(platform.a.token), auth(platform.b.token)
    home = village(platform, sender, "婉拒")
    member = created(gateway, "/api/orgtree/members", {"name": "吴晓岚（示例）", "branchId": home.branch["id"]}, sender)
    body = {
        "memberId": member["id"],
        "toDistrict": platform.b.slug,
        "reason": "工作调动（示例）",
        "transferOn": "2026-12-02",
    }
    offer = created(gateway, OFFERS, body, sender)
    declined = created(gateway, f"{OFFERS}/{offer['id']}/decline", {"reason": "接收支部尚未成立（示例）"}, receiver)
    assert (declined["status"], declined["declineReason"]) == ("declined", "接收支部尚未成立（示例）")

    def back() -> list[dict[str, Any]] | None:
        rows = _get(gateway, "/api/orgtree/transfers", sender, memberId=member["id"]).json()
        return rows if rows and rows[0]["status"] == "returned" else None

    assert until("the member back to normal", back)[0]["note"] == "接收支部尚未成立（示例）"
    assert _get(gateway, f"/api/orgtree/members/{member['id']}", sender).status_code == 200
    again = created(gateway, OFFERS, body, sender)  # no longer leaving: may be offered again, and withdrawn
    assert created(gateway, f"{OFFERS}/{again['id']}/withdraw", None, sender)["status"] == "withdrawn"
