"""A member still unqualified after re-education (EVT-02): the membership moves to the street organ branch of the
member's street and the member is flagged "unqualified", once however often the event arrives; a street without
an organ branch leaves a pending disposition, listed with its reason until retried."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from litestar.testing import AsyncTestClient

from shared.contracts.training import ReEducationFailed
from shared.settings import Settings
from tests.orgtree.builders import Api, build_slice, outbox
from tests.orgtree.conftest import District, bearer
from tests.orgtree.test_honours import deliver
from tests.platform.tokens import TestIssuer


def failed(district: District, member: dict[str, Any], concluded_on: date = date(2026, 11, 30)) -> ReEducationFailed:
    return ReEducationFailed(
        tenant_id=district.id,
        case_id=uuid.uuid4(),
        member_id=uuid.UUID(member["id"]),
        person_id=uuid.uuid4(),
        concluded_on=concluded_on,
    )


async def test_the_member_moves_to_the_street_organ_branch_once(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(51, joinedOn="2010-07-01", flags=["mobile"])
    assert await deliver(settings, failed(district_a, member)) == [True, False, True]
    now = await s.admin.get(f"/members/{member['id']}")
    assert now["branchId"] == s.organ_branch["id"]
    assert now["flags"] == ["mobile", "unqualified"]
    history = await s.admin.get(f"/members/{member['id']}/transfers")
    assert [(h["reason"], h["toBranchId"], h["transferredOn"]) for h in history][1:] == [
        ("unqualified_after_reeducation", s.organ_branch["id"], "2026-11-30")
    ]
    moved = await outbox(settings, district_a.id, "orgtree.MemberTransferred")
    assert [(e["member_id"], e["to_branch_id"]) for e in moved] == [(member["id"], s.organ_branch["id"])]
    flagged = [e for e in await outbox(settings, district_a.id, "orgtree.MemberUpdated") if e["changed"] == ["flags"]]
    assert [e["flags"] for e in flagged] == [["mobile", "unqualified"]]
    done = await s.admin.get("/dispositions", memberId=member["id"])
    assert [(d["state"], d["toBranchId"], d["memberName"]) for d in done] == [
        ("transferred", s.organ_branch["id"], member["name"])
    ]


async def test_a_street_without_an_organ_branch_leaves_a_pending_disposition(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    committee = await s.admin.unit(s.party_root, "street_working_committee", "永中街道党工委")
    branch = await s.admin.unit(committee, "branch", "永中社区党支部")
    member = await s.admin.post(
        "/members", {"name": "党员52", "branchId": branch["id"], "gridId": s.far_grid["id"], "joinedOn": "2010-07-01"}
    )
    assert await deliver(settings, failed(district_a, member)) == [True, False, True]
    unchanged = await s.admin.get(f"/members/{member['id']}")
    assert (unchanged["branchId"], unchanged["flags"]) == (branch["id"], [])
    pending = await s.admin.get("/dispositions", state="pending")
    assert [(d["memberId"], d["toBranchId"]) for d in pending] == [(member["id"], None)]
    assert "街道机关支部" in pending[0]["problem"]
    street = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.other_street["path"]))
    assert [d["id"] for d in await street.get("/dispositions", state="pending")] == [pending[0]["id"]]
    await s.admin.post(f"/dispositions/{pending[0]['id']}/retry", {}, expect=200)  # still no organ branch
    assert (await s.admin.get("/dispositions", state="pending"))[0]["problem"] == pending[0]["problem"]
    organ = await s.admin.unit(committee, "street_organ_branch", "永中街道机关支部")
    done = await s.admin.post(f"/dispositions/{pending[0]['id']}/retry", {}, expect=200)
    assert (done["state"], done["toBranchId"], done["problem"]) == ("transferred", organ["id"], None)
    assert (await s.admin.get(f"/members/{member['id']}"))["flags"] == ["unqualified"]
    again = await s.admin.post(f"/dispositions/{pending[0]['id']}/retry", {}, expect=409)
    assert "carried out" in again["detail"]
    assert await s.admin.get("/dispositions", state="pending") == []


async def test_dispositions_stay_in_their_district_and_street_and_bad_filters_are_422(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(53)
    gone = failed(district_a, {"id": str(uuid.uuid4())})  # a member who has left the rolls: pending, not lost
    await deliver(settings, failed(district_a, member))
    await deliver(settings, gone)
    listed = await s.admin.get("/dispositions")
    assert sorted(d["state"] for d in listed) == ["pending", "transferred"]
    assert (
        next(d for d in listed if d["state"] == "pending")["problem"]
        == "the member is no longer on the district's rolls"
    )
    other = Api(client, bearer(issuer, district_b.id, ["district_admin"]))
    assert await other.get("/dispositions") == []
    await other.post(f"/dispositions/{listed[0]['id']}/retry", {}, expect=404)
    elsewhere = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.other_street["path"]))
    assert await elsewhere.get("/dispositions") == []
    refused = await s.admin.get("/dispositions", expect=422, state="lost")
    assert refused["errors"][0]["field"] == "query.state"
    await s.admin.get("/dispositions", expect=422, memberId="nope")
    member_token = Api(client, bearer(issuer, district_a.id, ["member"]))
    await member_token.get("/dispositions", expect=403)
