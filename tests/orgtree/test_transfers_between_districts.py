"""A member moving between districts, orgtree's side (GW-03, ORG-17): the sending district records the member as
leaving and announces the offer; refusals store nothing; the receiving district's branch is checked; the gateway's
events create the member in the receiving district and close the offer in the sending one, once however often they
come."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from litestar.testing import AsyncTestClient

import services.orgtree.transfers.actors  # noqa: F401 - registers the handlers delivered to here
from shared.contracts.transfers import (
    MemberTransferAccepted,
    MemberTransferClosed,
    TrainingHistory,
    TransferredMember,
)
from shared.settings import Settings
from tests.orgtree.builders import Api, Slice, build_slice, outbox
from tests.orgtree.conftest import District, bearer
from tests.orgtree.test_honours import deliver
from tests.platform.tokens import TestIssuer

OUT = "/transfers/outgoing"


def _offer(member: dict[str, Any], **change: Any) -> dict[str, Any]:
    body = {
        "offerId": str(uuid.uuid4()),
        "memberId": member["id"],
        "toTenantId": str(uuid.uuid4()),
        "toDistrict": "瓯海区",
        "reason": "随子女迁居",
        "transferOn": "2026-12-01",
    }
    return body | change


def _closed(district: District, body: dict[str, Any], outcome: str) -> MemberTransferClosed:
    return MemberTransferClosed(
        tenant_id=district.id,
        offer_id=uuid.UUID(body["offerId"]),
        member_id=uuid.UUID(body["memberId"]),
        outcome=outcome,
        to_district="瓯海区",
        transfer_on=date(2026, 12, 1),
        note="接收支部尚未成立" if outcome == "declined" else None,
    )


async def _leaving(s: Slice, member: dict[str, Any]) -> list[tuple[str, str]]:
    return [(t["direction"], t["status"]) for t in await s.admin.get("/transfers", memberId=member["id"])]


async def test_the_sending_district_records_the_member_as_leaving_and_refuses_what_does_not_fit(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(61, joinedOn="2009-07-01")
    body = _offer(member)
    recorded = await s.admin.post(OUT, body)
    assert (recorded["direction"], recorded["status"], recorded["otherDistrict"]) == ("out", "leaving", "瓯海区")
    offered = await outbox(settings, district_a.id, "orgtree.MemberTransferOffered")
    assert [(e["offer_id"], e["member"]["name"], e["member"]["joined_on"]) for e in offered] == [
        (body["offerId"], member["name"], "2009-07-01")
    ]
    # ID and phone numbers do not travel
    assert sorted(offered[0]["member"]) == ["birth_date", "classification", "gender", "joined_on", "name"]

    again = await s.admin.post(OUT, _offer(member), expect=409)
    assert "already leaving" in again["detail"]
    own = await s.admin.post(OUT, _offer(member, toTenantId=str(district_a.id)), expect=422)
    assert own["errors"][0]["field"] == "body.toTenantId"
    for change, field in (
        ({"memberId": "x"}, "body.memberId"),
        ({"transferOn": 20261201}, "body.transferOn"),
        ({"reason": ""}, "body.reason"),
    ):
        refused = await s.admin.post(OUT, _offer(member, **change), expect=422)
        assert field in str(refused["errors"])
    leader = await s.member(62)
    await s.admin.call(
        "PUT", f"/grids/{s.grid['id']}/leader", 200, json={"memberId": leader["id"], "since": "2025-01-01"}
    )
    assert "leads a grid" in (await s.admin.post(OUT, _offer(leader), expect=409))["detail"]

    other = Api(client, bearer(issuer, district_b.id, ["district_admin"]))
    await other.post(OUT, _offer(member), expect=404)  # another district's member
    street = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.street["path"]))
    await street.post(OUT, _offer(await s.member(63)), expect=403)
    assert len(await outbox(settings, district_a.id, "orgtree.MemberTransferOffered")) == 1
    assert await _leaving(s, member) == [("out", "leaving")]


async def test_only_a_party_branch_of_the_district_receives(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    assert (await s.admin.get(f"/transfers/branches/{s.branch['id']}"))["name"] == s.branch["name"]
    for unit in (s.village, s.committee):
        refused = await s.admin.get(f"/transfers/branches/{unit['id']}", expect=422)
        assert refused["errors"][0]["field"] == "body.branchId"
    other = Api(client, bearer(issuer, district_b.id, ["district_admin"]))
    await other.get(f"/transfers/branches/{s.branch['id']}", expect=404)


async def test_the_receiving_district_creates_the_member_once_with_where_they_came_from(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    accepted = MemberTransferAccepted(
        tenant_id=district_a.id,
        offer_id=uuid.uuid4(),
        member_id=uuid.uuid4(),
        branch_id=uuid.UUID(s.branch["id"]),
        from_tenant_id=uuid.uuid4(),
        from_district="龙湾区",
        reason="随子女迁居",
        transfer_on=date(2026, 12, 1),
        member=TransferredMember(name="周明远", gender="男", classification="self_managed", joined_on=date(2009, 7, 1)),
        history=TrainingHistory(),
    )
    assert await deliver(settings, accepted) == [True, False, True]
    member = await s.admin.get(f"/members/{accepted.member_id}")
    assert (member["name"], member["branchId"], member["joinedOn"]) == ("周明远", s.branch["id"], "2009-07-01")
    history = await s.admin.get(f"/members/{accepted.member_id}/transfers")
    assert [(h["fromBranchId"], h["toBranchId"], h["note"]) for h in history] == [
        (None, s.branch["id"], "转入自龙湾区：随子女迁居")
    ]
    assert await _leaving(s, member) == [("in", "arrived")]
    created = await outbox(settings, district_a.id, "orgtree.MemberCreated")
    assert [e["member_id"] for e in created].count(str(accepted.member_id)) == 1


async def test_the_sending_district_closes_the_offer_once(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    staying, going = await s.member(71), await s.member(72)
    declined, accepted = _offer(staying), _offer(going)
    await s.admin.post(OUT, declined)
    await s.admin.post(OUT, accepted)

    assert await deliver(settings, _closed(district_a, declined, "declined")) == [True, False, True]
    assert await _leaving(s, staying) == [("out", "returned")]
    assert (await s.admin.get("/transfers", memberId=staying["id"]))[0]["note"] == "接收支部尚未成立"
    await s.admin.get(f"/members/{staying['id']}")  # still on the rolls, and may be offered again
    await s.admin.post(OUT, _offer(staying))

    assert await deliver(settings, _closed(district_a, accepted, "accepted")) == [True, False, True]
    await s.admin.get(f"/members/{going['id']}", expect=404)
    assert await _leaving(s, going) == [("out", "transferred")]
    removed = await outbox(settings, district_a.id, "orgtree.MemberRemoved")
    assert [(e["member_id"], e["reason"]) for e in removed] == [(going["id"], "transferred_out")]
