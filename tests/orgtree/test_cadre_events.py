"""Posting a cadre and ending the posting are announced (``CadrePostingChanged``) with every posting the member
holds afterwards, so training keeps secretaries, committee members and rural cadres in step (TRN-03)."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from shared.settings import Settings
from tests.orgtree.builders import build_slice, outbox
from tests.orgtree.conftest import District
from tests.platform.tokens import TestIssuer

EVENT = "orgtree.CadrePostingChanged"


async def test_postings_made_and_ended_are_announced_with_the_members_postings(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    community = await s.admin.unit(s.street, "community", "瑶溪社区")
    cadre = await s.member(90)
    secretary = await s.admin.post(
        "/cadre-postings",
        {"kind": "village", "memberId": cadre["id"], "villageId": s.village["id"], "role": "secretary"},
    )
    await s.admin.post(
        "/cadre-postings",
        {"kind": "village", "memberId": cadre["id"], "villageId": community["id"], "role": "committee_member"},
    )
    first, second = await outbox(settings, district_a.id, EVENT)
    assert {k: first[k] for k in ("posting_id", "member_id", "village_id", "kind", "role", "unit_level", "active")} == {
        "posting_id": secretary["id"],
        "member_id": cadre["id"],
        "village_id": s.village["id"],
        "kind": "village",
        "role": "secretary",
        "unit_level": "village",
        "active": True,
    }
    assert first["postings"] == [{"kind": "village", "role": "secretary", "unit_level": "village"}]
    held = [
        {"kind": "village", "role": "secretary", "unit_level": "village"},
        {"kind": "village", "role": "committee_member", "unit_level": "community"},
    ]
    assert sorted(second["postings"], key=str) == sorted(held, key=str)

    await s.admin.call("DELETE", f"/cadre-postings/{secretary['id']}", 204)
    *_, ended = await outbox(settings, district_a.id, EVENT)
    assert (ended["posting_id"], ended["active"], ended["unit_level"]) == (secretary["id"], False, "village")
    assert ended["postings"] == [{"kind": "village", "role": "committee_member", "unit_level": "community"}]


async def test_a_refused_posting_announces_nothing(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    cadre = await s.member(91)
    body = {"kind": "stationed", "memberId": cadre["id"], "villageId": s.village["id"], "role": "secretary"}
    await s.admin.post("/cadre-postings", body, 422)
    await s.admin.post("/cadre-postings", {**body, "kind": "visiting"}, 422)
    assert await outbox(settings, district_a.id, EVENT) == []


async def test_a_villages_postings_are_listed_with_their_cadres_names(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    community = await s.admin.unit(s.street, "community", "茶山社区")
    cadre, stationed = await s.member(92), await s.member(93)
    made = await s.admin.post(
        "/cadre-postings",
        {"kind": "village", "memberId": cadre["id"], "villageId": s.village["id"], "role": "secretary"},
    )
    assert made["memberName"] == cadre["name"]
    posting = {"kind": "stationed", "memberId": stationed["id"], "villageId": community["id"]}
    await s.admin.post("/cadre-postings", posting)

    in_village = await s.admin.get("/cadre-postings", within=s.village["id"])
    assert [(p["memberName"], p["kind"], p["role"]) for p in in_village] == [(cadre["name"], "village", "secretary")]
    in_community = await s.admin.get("/cadre-postings", within=community["id"])
    assert [(p["memberName"], p["kind"]) for p in in_community] == [(stationed["name"], "stationed")]
