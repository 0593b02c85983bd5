"""Zhanjiang's lost-contact member return programme (seed 001, 瓯海区 in the demo), end to end through the gateway: a
member whose firm closed is marked lost, searched for in the closed firm's roster and at the police station, finds
the organisation again and is regrouped by location into the community's branch: the transfer is in the member's
membership history, the lost-contact flag is gone, and the street's ledger counts the member as regrouped by
location. Another district sees none of it."""

from __future__ import annotations

import httpx

from tests.platform.platform import RunningPlatform, auth
from tests.seeds.story import created, village

API = "/api/orgtree/lost-members"


def test_a_lost_member_is_found_and_regrouped_by_location_and_the_ledger_counts_it(platform: RunningPlatform) -> None:
    gateway, admin = platform.gateway, auth(platform.a.token)
    where = village(platform, admin, "归队")
    person = {"name": "陈建国（示例）", "branchId": where.branch["id"], "joinedOn": "1998-07-01"}
    member = created(gateway, "/api/orgtree/members", person, admin)
    body = {"memberId": member["id"], "howLost": "firm_closed", "lostSince": "2018-06-01", "note": "原厂关闭（示例）"}
    case = created(gateway, API, body, admin)
    flags = httpx.get(f"{gateway}/api/orgtree/members/{member['id']}", headers=admin).json()["flags"]
    assert flags == ["lost_contact"]
    for channel in ("closed_firm_roster", "police_station"):
        created(gateway, f"{API}/{case['id']}/searches", {"channel": channel, "searchedOn": "2026-10-08"}, admin)
    created(
        gateway, f"{API}/{case['id']}/found", {"channel": "member_finds_organisation", "foundOn": "2026-10-20"}, admin
    )
    name = f"{where.village['name']}小区党支部（示例）"
    estate = created(
        gateway, "/api/orgtree/nodes", {"parentId": where.committee["id"], "level": "branch", "name": name}, admin
    )
    regroup = {"way": "location", "toBranchId": estate["id"], "regroupedOn": "2026-11-02"}
    done = created(gateway, f"{API}/{case['id']}/regroup", regroup, admin)
    assert [s["kind"] for s in done["steps"]] == ["opened", "searched", "searched", "found", "regrouped"]

    now = httpx.get(f"{gateway}/api/orgtree/members/{member['id']}", headers=admin).json()
    assert (now["branchId"], now["flags"]) == (estate["id"], [])
    history = httpx.get(f"{gateway}/api/orgtree/members/{member['id']}/transfers", headers=admin).json()
    assert [(h["fromBranchId"], h["toBranchId"], h["reason"]) for h in history][-1] == (
        where.branch["id"],
        estate["id"],
        "regrouped_by_location",
    )

    ledger = httpx.get(f"{gateway}{API}/ledger", params={"within": where.committee["id"]}, headers=admin).json()
    lines = {line["unitName"]: line["counts"] for line in ledger["lines"]}
    zero = dict.fromkeys(("byWorkplace", "byInterest", "byBusiness", "unqualified", "searching"), 0)
    assert lines[where.branch["name"]] == {"lost": 1, "found": 1, "byLocation": 1, **zero}
    assert ledger["unit"]["counts"]["byLocation"] == 1

    other = auth(platform.b.token)
    assert httpx.get(f"{gateway}{API}/{case['id']}", headers=other).status_code == 404
