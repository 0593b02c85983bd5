"""The lost-contact member return programme [001/ZJ]: a case opened, searched, found and regrouped into a branch (a
membership transfer clearing the flag), or found unqualified; steps out of order are 409 naming the state; bad input
is a 422 naming the field; another district's or street's case is a 404; the ledgers count each way at each level."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.orgtree.builders import Api, Slice, build_slice
from tests.orgtree.conftest import District, bearer
from tests.platform.demo import LoadedDemo
from tests.platform.tokens import TestIssuer

# The first test to ask for ``orgtree_demo`` loads the demo districts' trees (1-2 minutes) within its time.
pytestmark = pytest.mark.timeout(600)

URL = "/lost-members"


async def opened(s: Slice, serial: int, how: str = "firm_closed") -> dict[str, Any]:
    member = await s.member(serial, joinedOn="2001-07-01")
    case: dict[str, Any] = await s.admin.post(
        URL, {"memberId": member["id"], "howLost": how, "lostSince": "2019-03-01", "note": "原厂关闭"}
    )
    return case


async def test_a_lost_member_is_searched_found_and_regrouped_by_location(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    case = await opened(s, 61)
    assert (case["state"], case["unitName"], [x["kind"] for x in case["steps"]]) == (
        "searching",
        "上河村党支部",
        ["opened"],
    )
    assert (await s.admin.get(f"/members/{case['memberId']}"))["flags"] == ["lost_contact"]
    for channel in ("closed_firm_roster", "police_station"):
        await s.admin.post(f"{URL}/{case['id']}/searches", {"channel": channel, "searchedOn": "2026-11-02"})
    found = await s.admin.post(
        f"{URL}/{case['id']}/found", {"channel": "member_finds_organisation", "foundOn": "2026-11-10"}
    )
    assert found["state"] == "found"
    community = await s.admin.unit(s.committee, "branch", "上河小区党支部")
    done = await s.admin.post(
        f"{URL}/{case['id']}/regroup",
        {"way": "location", "toBranchId": community["id"], "regroupedOn": "2026-11-20"},
    )
    assert (done["state"], done["regroupedBy"], done["toBranchId"]) == ("regrouped", "location", community["id"])
    assert [(x["kind"], x["channel"]) for x in done["steps"]] == [
        ("opened", None),
        ("searched", "closed_firm_roster"),
        ("searched", "police_station"),
        ("found", "member_finds_organisation"),
        ("regrouped", "location"),
    ]
    assert all(x["recordedBy"] and x["recordedAt"] for x in done["steps"])
    member = await s.admin.get(f"/members/{case['memberId']}")
    assert (member["branchId"], member["flags"]) == (community["id"], [])
    history = await s.admin.get(f"/members/{case['memberId']}/transfers")
    assert [(h["reason"], h["toBranchId"], h["transferredOn"]) for h in history][1:] == [
        ("regrouped_by_location", community["id"], "2026-11-20")
    ]
    again = await s.admin.post(
        f"{URL}/{case['id']}/searches", {"channel": "community", "searchedOn": "2026-11-21"}, 409
    )
    assert "'regrouped'" in again["detail"]


async def test_a_member_found_unqualified_is_prepared_for_removal(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    case = await opened(s, 62, "no_contact")
    early = await s.admin.post(f"{URL}/{case['id']}/unqualified", {"judgedOn": "2026-11-01"}, 409)
    assert "'searching'" in early["detail"]
    await s.admin.post(f"{URL}/{case['id']}/found", {"channel": "community", "foundOn": "2026-11-01"})
    done = await s.admin.post(f"{URL}/{case['id']}/unqualified", {"judgedOn": "2026-11-05", "note": "长期不交党费"})
    assert done["state"] == "unqualified"
    assert (await s.admin.get(f"/members/{case['memberId']}"))["flags"] == ["unqualified"]
    regroup = {"way": "location", "toBranchId": s.organ_branch["id"], "regroupedOn": "2026-11-06"}
    assert "'unqualified'" in (await s.admin.post(f"{URL}/{case['id']}/regroup", regroup, 409))["detail"]


async def test_bad_input_is_a_422_naming_the_field_and_nothing_is_stored(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(63, joinedOn="2001-07-01")
    body = {"memberId": member["id"], "howLost": "vanished", "lostSince": "2019-03-01"}
    refused = await s.admin.post(URL, body, 422)
    assert [e["field"] for e in refused["errors"]] == ["body.howLost"]
    assert "firm_closed" in refused["errors"][0]["message"]
    future = await s.admin.post(URL, {**body, "howLost": "moved_away", "lostSince": "2099-01-01"}, 422)
    assert [e["field"] for e in future["errors"]] == ["body.lostSince"]
    typed = await s.admin.post(URL, {**body, "howLost": "moved_away", "lostSince": 2019}, 422)
    assert "lostSince" in typed["detail"]
    assert await s.admin.get(URL) == []
    assert (await s.admin.get(f"/members/{member['id']}"))["flags"] == []
    case = await s.admin.post(URL, {**body, "howLost": "moved_away"})
    twice = await s.admin.post(URL, {**body, "howLost": "moved_away"}, 409)
    assert "'searching'" in twice["detail"]
    bad_channel = await s.admin.post(f"{URL}/{case['id']}/searches", {"channel": "tv", "searchedOn": "2026-11-01"}, 422)
    assert [e["field"] for e in bad_channel["errors"]] == ["body.channel"]
    before = await s.admin.post(f"{URL}/{case['id']}/found", {"channel": "community", "foundOn": "2018-01-01"}, 422)
    assert [e["field"] for e in before["errors"]] == ["body.foundOn"]
    await s.admin.post(f"{URL}/{case['id']}/found", {"channel": "community", "foundOn": "2026-11-01"})
    way = await s.admin.post(
        f"{URL}/{case['id']}/regroup",
        {"way": "luck", "toBranchId": s.organ_branch["id"], "regroupedOn": "2026-11-02"},
        422,
    )
    assert [e["field"] for e in way["errors"]] == ["body.way"]
    not_branch = await s.admin.post(
        f"{URL}/{case['id']}/regroup",
        {"way": "interest", "toBranchId": s.committee["id"], "regroupedOn": "2026-11-02"},
        422,
    )
    assert "toBranchId" in not_branch["detail"]
    fresh = await s.member(69)  # joined today: regrouping cannot come before that
    young = await s.admin.post(URL, {**body, "memberId": fresh["id"], "howLost": "moved_away"})
    await s.admin.post(f"{URL}/{young['id']}/found", {"channel": "community", "foundOn": "2026-11-01"})
    late = {"way": "location", "toBranchId": s.organ_branch["id"], "regroupedOn": "2026-11-02"}
    assert [e["field"] for e in (await s.admin.post(f"{URL}/{young['id']}/regroup", late, 422))["errors"]] == [
        "body.regroupedOn"
    ]
    assert (await s.admin.get(f"{URL}/{case['id']}"))["state"] == "found"
    assert (await s.admin.get(f"/members/{member['id']}"))["branchId"] == s.branch["id"]


async def test_another_district_or_street_sees_a_404(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    case = await opened(s, 64)
    other = Api(client, bearer(issuer, district_b.id, ["district_admin"]))
    await other.get(f"{URL}/{case['id']}", 404)
    await other.post(f"{URL}/{case['id']}/found", {"channel": "community", "foundOn": "2026-11-01"}, 404)
    await other.post(URL, {"memberId": case["memberId"], "howLost": "moved_away", "lostSince": "2019-03-01"}, 404)
    await other.get(f"{URL}/ledger", 404, within=s.committee["id"])
    assert await other.get(URL) == []
    street = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.other_street["path"]))
    await street.get(f"{URL}/{case['id']}", 404)
    assert await street.get(URL) == []
    bad = await s.admin.get(URL, 422, state="lost")
    assert [e["field"] for e in bad["errors"]] == ["query.state"]


async def test_the_ledgers_count_each_way_at_each_level(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    hobby = await s.admin.unit(s.committee, "branch", "老年书画兴趣党支部")
    cases = [await opened(s, 70 + i) for i in range(4)]
    for case in cases[:3]:
        await s.admin.post(f"{URL}/{case['id']}/found", {"channel": "community", "foundOn": "2026-11-01"})
    regroup = {"way": "interest", "toBranchId": hobby["id"], "regroupedOn": "2026-11-02"}
    await s.admin.post(f"{URL}/{cases[0]['id']}/regroup", regroup)
    await s.admin.post(f"{URL}/{cases[1]['id']}/unqualified", {"judgedOn": "2026-11-02"})
    district = await s.admin.get(f"{URL}/ledger")
    assert district["unit"]["unitId"] == s.party_root["id"]
    expected = {
        "lost": 4,
        "found": 3,
        "byLocation": 0,
        "byWorkplace": 0,
        "byInterest": 1,
        "byBusiness": 0,
        "unqualified": 1,
        "searching": 1,
    }
    assert district["unit"]["counts"] == expected
    assert [(x["unitName"], x["counts"]["lost"]) for x in district["lines"]] == [("瑶溪街道党工委", 4)]
    street = await s.admin.get(f"{URL}/ledger", within=s.committee["id"])
    by_unit = {x["unitName"]: x["counts"] for x in street["lines"]}
    assert by_unit["上河村党支部"] == expected  # counted where the members were lost from
    assert by_unit["老年书画兴趣党支部"]["lost"] == 0
    unit = await s.admin.get(f"{URL}/ledger", within=s.branch["id"])
    assert (unit["unit"]["counts"], unit["lines"]) == (expected, [])
    await s.admin.get(f"{URL}/ledger", 422, within=s.village["id"])  # the administrative tree has no ledger


async def test_the_ouhai_demo_shows_the_programme_in_every_state(
    client: AsyncTestClient, issuer: TestIssuer, orgtree_demo: LoadedDemo
) -> None:
    ouhai = Api(client, bearer(issuer, uuid.UUID(orgtree_demo.tenants["wenzhou-ouhai"]["id"]), ["district_admin"]))
    ledger = await ouhai.get(f"{URL}/ledger")
    assert ledger["unit"]["counts"] == {
        "lost": 9,
        "found": 7,
        "byLocation": 2,
        "byWorkplace": 1,
        "byInterest": 1,
        "byBusiness": 1,
        "unqualified": 1,
        "searching": 2,
    }
    regrouped = await ouhai.get(URL, state="regrouped")
    targets = {(await ouhai.get(f"/members/{c['memberId']}"))["branchId"] for c in regrouped}
    names = {(await ouhai.get(f"/nodes/{t}"))["name"] for t in targets}
    assert sum(name.endswith("（示例）") for name in names) == 3  # the workplace, interest and business branches
    lost = await ouhai.get("/members", flag="lost_contact", limit=50)
    assert len(lost["items"]) == 3  # still searched for, or found and not yet placed
    stations = await ouhai.get("/venues", kind="sunshine_station")
    assert len(stations) == 3
    assert all(v["name"].endswith("阳光驿站（示例）") and "membership_transfer" in v["services"] for v in stations)


async def test_a_sunshine_station_lists_its_services_and_bad_services_are_refused(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    body = {"unitId": s.street["id"], "kind": "sunshine_station", "name": "瑶溪阳光驿站（示例）"}
    made = await s.admin.post("/venues", {**body, "services": ["reading_room", "membership_transfer"]})
    assert made["venue"]["services"] == ["membership_transfer", "reading_room"]
    listed = await s.admin.get("/venues", kind="sunshine_station")
    assert [(v["name"], v["services"]) for v in listed] == [
        ("瑶溪阳光驿站（示例）", ["membership_transfer", "reading_room"])
    ]
    unknown = await s.admin.post("/venues", {**body, "services": ["karaoke"]}, 422)
    assert [e["field"] for e in unknown["errors"]] == ["body.services"]
    other_kind = {**body, "kind": "centre_71", "services": ["reading_room"]}
    assert [e["field"] for e in (await s.admin.post("/venues", other_kind, 422))["errors"]] == ["body.services"]
    typed = await s.admin.post("/venues", {**body, "services": "reading_room"}, 422)
    assert "services" in typed["detail"]
    assert len(await s.admin.get("/venues", kind="sunshine_station")) == 1
    other = Api(client, bearer(issuer, district_b.id, ["district_admin"]))
    await other.get(f"/venues/{made['venue']['id']}", 404)
    await other.post("/venues", {**body, "services": ["reading_room"]}, 404)
