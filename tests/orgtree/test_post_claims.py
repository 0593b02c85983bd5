"""Posts claimed (ORG-14): a member takes a post by self-nomination or branch nomination on a date, the claim before
it ends that day and stays as history; the per-unit report counts members without office and those with no post.
Bad input is refused naming the field with nothing stored; another district's or street's member is a 404."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from shared.clock import china_today
from shared.settings import Settings
from tests.orgtree.builders import Api, build_slice, outbox
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer

TODAY = china_today().isoformat()


async def test_a_claim_sets_the_post_keeps_the_history_and_clears_the_member_from_the_report(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(401, flags=["without_office"])
    await s.member(402, flags=["without_office"])
    await s.member(403)  # holds an office: not counted
    report = await s.admin.get("/reports/unposted-members/by-unit", within=s.committee["id"])
    assert [(u["unitName"], u["withoutOffice"], u["withPost"], u["withoutPost"]) for u in report["units"]] == [
        ("上河村党支部", 2, 0, 2)
    ]

    path = f"/members/{member['id']}/posts"
    first = await s.admin.post(
        path, {"postCode": "info_collector", "method": "self_nomination", "claimedOn": "2026-03-02"}
    )
    assert (first["postCode"], first["postMethod"]) == ("info_collector", "self_nomination")
    second = await s.admin.post(
        path, {"postCode": "dispute_mediator", "method": "branch_nomination", "claimedOn": "2026-09-01"}
    )
    assert [(c["postLabel"], c["method"], c["claimedOn"], c["endedOn"]) for c in second["claims"]] == [
        ("矛盾纠纷调解员", "branch_nomination", "2026-09-01", None),
        ("信息收集员", "self_nomination", "2026-03-02", "2026-09-01"),
    ]
    shown = await s.admin.get(f"/members/{member['id']}")
    assert (shown["postCode"], shown["postMethod"]) == ("dispute_mediator", "branch_nomination")
    updates = await outbox(settings, district_a.id, "orgtree.MemberUpdated")
    assert updates[-1]["changed"] == ["postCode", "postMethod"]
    assert updates[-1]["post_code"] == "dispute_mediator"

    report = await s.admin.get("/reports/unposted-members/by-unit")
    assert [(u["withoutOffice"], u["withPost"], u["withoutPost"]) for u in report["units"]] == [(2, 1, 1)]
    assert report["withoutPost"] == 1
    # a post set on the record is a claim too, dated the day it was set
    await s.admin.call("PATCH", f"/members/{member['id']}", 200, json={"postCode": "care_helper"})
    history = (await s.admin.get(path))["claims"]
    assert [(c["postCode"], c["method"], c["claimedOn"], c["endedOn"]) for c in history[:2]] == [
        ("care_helper", "branch_nomination", TODAY, None),
        ("dispute_mediator", "branch_nomination", "2026-09-01", TODAY),
    ]
    posted = await s.member(404, postCode="policy_promoter", postMethod="self_nomination")
    assert [c["claimedOn"] for c in (await s.admin.get(f"/members/{posted['id']}/posts"))["claims"]] == [TODAY]
    await s.admin.post(path, {"postCode": "dispute_mediator", "method": "branch_nomination", "claimedOn": TODAY})
    await s.admin.post(path, {"postCode": "dispute_mediator", "method": "branch_nomination", "claimedOn": TODAY}, 409)


async def test_bad_claims_are_refused_naming_the_field_and_nothing_is_stored(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(411, flags=["without_office"])
    path = f"/members/{member['id']}/posts"
    await s.admin.post(path, {"postCode": "care_helper", "method": "self_nomination", "claimedOn": "2026-05-01"})

    async def field_of(body: dict[str, Any]) -> list[str]:
        full = {"postCode": "info_collector", "method": "self_nomination", "claimedOn": "2026-06-01", **body}
        problem = await s.admin.post(path, full, 422)
        return [e["field"] for e in problem["errors"]]

    assert await field_of({"method": "democratic_nomination"}) == ["body.method"]
    assert await field_of({"postCode": "astronaut"}) == ["body.postCode"]
    assert await field_of({"claimedOn": "2999-01-01"}) == ["body.claimedOn"]
    assert await field_of({"claimedOn": "2026-04-30"}) == ["body.claimedOn"]  # before the current claim
    assert await field_of({"claimedOn": 20260601}) == ["body.claimedOn"]
    assert await field_of({"postCode": 7}) == ["body.postCode"]
    assert await field_of({"note": "x"}) == ["body.note"]
    posts = await s.admin.get(path)
    assert [c["postCode"] for c in posts["claims"]] == ["care_helper"]


async def test_other_districts_and_streets_members_are_404(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    other = await build_slice(client, issuer, district_b)
    theirs = await other.member(421)
    body = {"postCode": "info_collector", "method": "self_nomination", "claimedOn": "2026-06-01"}
    await s.admin.post(f"/members/{theirs['id']}/posts", body, 404)
    await s.admin.get(f"/members/{theirs['id']}/posts", 404)
    await s.admin.get("/reports/unposted-members/by-unit", 404, within=other.committee["id"])
    ours = await s.member(422, flags=["without_office"])
    far = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.other_street["path"]))
    await far.post(f"/members/{ours['id']}/posts", body, 404)
    assert (await far.get("/reports/unposted-members/by-unit"))["units"] == []
    grid_leader = Api(client, bearer(issuer, district_a.id, ["grid_leader"], scope=s.grid["path"]))
    claimed = await grid_leader.post(f"/members/{ours['id']}/posts", body)
    assert claimed["postCode"] == "info_collector"
