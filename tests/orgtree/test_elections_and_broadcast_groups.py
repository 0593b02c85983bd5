"""Election records (ORG-24): candidates with how each was nominated, competitive rounds (at most three) with
votes and who was elected, until the seats are filled; broadcast groups (ORG-26) derived from the tree: a village's
red-cell group and its mobile members. Bad input names the field with nothing stored; other districts' and
streets' ids are a 404."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.orgtree.builders import Api, Slice, build_slice
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer


def candidates(*names: str, by: str = "self") -> list[dict[str, Any]]:
    return [{"name": name, "nominatedBy": by} for name in names]


async def election(s: Slice, seats: int = 2, **extra: Any) -> dict[str, Any]:
    body = {
        "body": "branch_committee",
        "heldOn": "2026-06-20",
        "seats": seats,
        "candidates": candidates("甲", "乙", "丙") + candidates("丁", by="members_jointly"),
        **extra,
    }
    made: dict[str, Any] = await s.admin.post(f"/nodes/{s.branch['id']}/elections", body)
    return made


async def test_an_election_fills_its_seats_over_competitive_rounds(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(601)
    made = await election(
        s,
        candidates=[
            *candidates("甲", "乙"),
            {"name": "党员601", "nominatedBy": "organisation", "memberId": member["id"]},
        ],
    )
    assert (made["competitive"], made["complete"], made["elected"]) == (True, False, 0)
    ids = {c["name"]: c["id"] for c in made["candidates"]}
    first = {
        "votes": [{"candidateId": ids[n], "votes": v} for n, v in (("甲", 31), ("乙", 12), ("党员601", 20))],
        "elected": [ids["甲"]],
    }
    after = await s.admin.post(f"/elections/{made['id']}/rounds", first)
    assert after["rounds"][0]["votes"][0] == {"candidateId": ids["甲"], "name": "甲", "votes": 31, "elected": True}
    elected_one = await s.admin.post(f"/elections/{made['id']}/rounds", {**first, "elected": []}, 422)
    assert [e["field"] for e in elected_one["errors"]] == ["body.votes[0].candidateId"]  # 甲 stands no more
    second = {
        "votes": [{"candidateId": ids["乙"], "votes": 14}, {"candidateId": ids["党员601"], "votes": 29}],
        "elected": [ids["党员601"]],
    }
    done = await s.admin.post(f"/elections/{made['id']}/rounds", second)
    assert (done["complete"], done["elected"], len(done["rounds"])) == (True, 2, 2)
    assert {c["name"]: c["electedInRound"] for c in done["candidates"]} == {"甲": 1, "乙": None, "党员601": 2}
    await s.admin.post(
        f"/elections/{made['id']}/rounds", {"votes": [{"candidateId": ids["乙"], "votes": 1}], "elected": []}, 409
    )
    listed = await s.admin.get(f"/nodes/{s.branch['id']}/elections")
    assert [e["id"] for e in listed] == [made["id"]]


async def test_a_fourth_round_and_bad_elections_are_refused_naming_the_field(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    path = f"/nodes/{s.branch['id']}/elections"

    async def field_of(**body: Any) -> list[str]:
        full = {"body": "branch_committee", "heldOn": "2026-06-20", "seats": 1, "candidates": candidates("甲", "乙")}
        problem = await s.admin.post(path, {**full, **body}, 422)
        return [e["field"] for e in problem["errors"]]

    assert await field_of(body="parliament") == ["body.body"]
    assert await field_of(seats=2) == ["body.candidates"]  # not competitive
    assert await field_of(seats="1") == ["body.seats"]
    assert await field_of(seats=0) == ["body.seats"]
    assert await field_of(heldOn="2026-13-01") == ["body.heldOn"]
    assert await field_of(candidates=candidates("甲", "乙", by="lottery")) == [
        "body.candidates[0].nominatedBy",
        "body.candidates[1].nominatedBy",
    ]
    assert await s.admin.get(path) == []

    made = await election(s, seats=1)
    ids = [c["id"] for c in made["candidates"]]
    for _ in range(3):
        await s.admin.post(
            f"/elections/{made['id']}/rounds", {"votes": [{"candidateId": i, "votes": 5} for i in ids], "elected": []}
        )
    fourth = {"votes": [{"candidateId": ids[0], "votes": 6}], "elected": [ids[0]]}
    await s.admin.post(f"/elections/{made['id']}/rounds", fourth, 409)
    other = await election(s, seats=1)
    other_ids = [c["id"] for c in other["candidates"]]
    bad = {"votes": [{"candidateId": other_ids[0], "votes": "5"}], "elected": []}
    problem = await s.admin.post(f"/elections/{other['id']}/rounds", bad, 422)
    assert [e["field"] for e in problem["errors"]] == ["body.votes[0].votes"]
    two = {"votes": [{"candidateId": i, "votes": 5} for i in other_ids[:2]], "elected": other_ids[:2]}
    problem = await s.admin.post(f"/elections/{other['id']}/rounds", two, 422)
    assert [e["field"] for e in problem["errors"]] == ["body.elected"]
    stray = {"votes": [{"candidateId": ids[0], "votes": 5}], "elected": []}  # another election's candidate
    problem = await s.admin.post(f"/elections/{other['id']}/rounds", stray, 422)
    assert [e["field"] for e in problem["errors"]] == ["body.votes[0].candidateId"]
    assert (await s.admin.get(f"/elections/{other['id']}"))["rounds"] == []


async def test_other_districts_and_streets_are_404(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    other = await build_slice(client, issuer, district_b)
    made = await election(s)
    theirs = await other.member(611)
    stranger = {"name": "甲", "nominatedBy": "self", "memberId": theirs["id"]}
    body = {"body": "branch_committee", "heldOn": "2026-06-20", "seats": 1, "candidates": [stranger, *candidates("乙")]}
    await s.admin.post(f"/nodes/{s.branch['id']}/elections", body, 404)
    await other.admin.get(f"/elections/{made['id']}", 404)
    await other.admin.post(f"/nodes/{s.branch['id']}/elections", body, 404)
    count = {"votes": [{"candidateId": made["candidates"][0]["id"], "votes": 3}], "elected": []}
    await other.admin.post(f"/elections/{made['id']}/rounds", count, 404)
    await other.admin.get(f"/nodes/{s.village['id']}/broadcast-groups", 404)
    far = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.other_street["path"]))
    await far.get(f"/elections/{made['id']}", 404)
    await far.get(f"/nodes/{s.village['id']}/broadcast-groups", 404)


async def test_a_villages_broadcast_groups_come_from_the_tree(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    leader = await s.member(621)
    await s.admin.call(
        "PUT", f"/grids/{s.grid['id']}/leader", 200, json={"memberId": leader["id"], "since": "2025-01-01"}
    )
    await s.member(622, grid=None)  # on the village branch's roll, in no grid
    await s.member(623, classification="mobile")
    cadre = await s.admin.post("/members", {"name": "村干部624", "branchId": s.organ_branch["id"]})
    await s.admin.post(
        "/cadre-postings",
        {"kind": "village", "memberId": cadre["id"], "villageId": s.village["id"], "role": "director"},
    )
    await s.member(625, grid=s.far_grid)  # another street's grid, the same branch: still the village's member
    groups = await s.admin.get(f"/nodes/{s.village['id']}/broadcast-groups")
    red_cell, mobile = groups["groups"]
    assert red_cell["name"] == "上河村红色细胞群"
    assert {m["name"]: m["roles"] for m in red_cell["members"]} == {
        "党员621": ["red_collar_leader", "member"],
        "党员622": ["member"],
        "党员623": ["member", "mobile_member"],
        "村干部624": ["two_committee_cadre", "member"],
        "党员625": ["member"],
    }
    assert [m["name"] for m in mobile["members"]] == ["党员623"]
    problem = await s.admin.get(f"/nodes/{s.grid['id']}/broadcast-groups", 422)
    assert [e["field"] for e in problem["errors"]] == ["path.nodeId"]
