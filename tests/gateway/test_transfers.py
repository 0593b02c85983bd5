"""Offers of members between districts at the gateway (GW-03): who may act, what is refused with nothing stored, what
each district sees (a third district nothing), the decisions and the events they send, and the consumers that fill
an offer from the sending district's events, idempotently. orgtree is not running here: the requests that reach it
are the story test's (tests/seeds/test_cross_district_transfer.py)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.tenants.services import change_status
from gateway.transfers.actors import hold_history, hold_offer
from gateway.transfers.models import TransferOffer
from shared.context import tenant_scope
from shared.contracts.transfers import (
    AttendanceRecord,
    MemberTransferOffered,
    TrainingHistory,
    TransferHistoryExported,
    TransferredMember,
)
from shared.db.kernel import outbox_message
from tests.gateway.support import District, bearer, is_problem, new_user, provision, tokens

Sessions = async_sessionmaker[AsyncSession]
OFFERS = "/transfers/offers"
MEMBER = TransferredMember(name="周明远", gender="男", birth_date=date(1975, 3, 2), classification="self_managed")
HISTORY = TrainingHistory(
    attendance=[AttendanceRecord(id=uuid.uuid4(), on=date(2026, 5, 4), title="党章学习", credit_hours=2)]  # type: ignore[arg-type]
)


async def _admin(client: AsyncTestClient[Any], district: District) -> dict[str, str]:
    return bearer((await tokens(client, district.admin))["accessToken"])


async def _offers(sessions: Sessions) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(TransferOffer)) or 0)


async def _held(sessions: Sessions, sender: District, receiver: District, *, history: bool = True) -> uuid.UUID:
    """An offer as the consumers leave it once both of the sending district's events have come."""
    offer_id = uuid.uuid4()
    offered = MemberTransferOffered(
        tenant_id=sender.id,
        offer_id=offer_id,
        member_id=uuid.uuid4(),
        to_tenant_id=receiver.id,
        reason="随子女迁居",
        transfer_on=date(2026, 12, 1),
        member=MEMBER,
    )
    async with sessions() as session, session.begin():
        await hold_offer(session, offered)
        if history:
            exported = TransferHistoryExported(
                tenant_id=sender.id, offer_id=offer_id, member_id=offered.member_id, history=HISTORY
            )
            await hold_history(session, exported)
    return offer_id


def _body(**change: Any) -> dict[str, Any]:
    return {
        "memberId": str(uuid.uuid4()),
        "toDistrict": "x",
        "reason": "随子女迁居",
        "transferOn": "2026-12-01",
    } | change


async def test_only_a_district_admin_offers_and_only_with_a_token(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    assert (await client.post(OFFERS, json=_body(toDistrict=district_b.slug))).status_code == 401
    member = await new_user(system_sessions, district_a, "member", ["member"])
    token = bearer((await tokens(client, member))["accessToken"])
    is_problem(await client.post(OFFERS, json=_body(toDistrict=district_b.slug), headers=token), 403)
    is_problem(await client.get(OFFERS, headers=token), 403)


BAD_INPUT = (
    ({"memberId": "not-an-id"}, "body.memberId"),
    ({"reason": ""}, "body.reason"),
    ({"reason": "很" * 201}, "body.reason"),
    ({"transferOn": 20261201}, "body.transferOn"),
    ({"transferOn": "2026-13-01"}, "body.transferOn"),
    ({"toDistrict": ""}, "body.toDistrict"),
    ({"extra": 1}, "extra"),
)


async def test_bad_input_is_a_problem_naming_the_field(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    admin = await _admin(client, district_a)
    before = await _offers(system_sessions)
    for change, field in BAD_INPUT:
        response = await client.post(OFFERS, json=_body(**{"toDistrict": district_b.slug, **change}), headers=admin)
        assert field in str(is_problem(response, 422)), change
    assert await _offers(system_sessions) == before


async def test_the_own_an_unknown_or_a_suspended_district_is_refused_and_nothing_is_stored(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    admin = await _admin(client, district_a)
    suspended = await provision(system_sessions, "suspended")
    async with system_sessions() as session, session.begin():
        await change_status(session, suspended.slug, "suspended")
    before = await _offers(system_sessions)
    for named, says in (
        (district_a.slug, "within the own district"),
        (str(district_a.id), "within the own district"),
        ("no-such-district", "no such district"),
        (str(uuid.uuid4()), "no such district"),
        (suspended.slug, "not active"),
    ):
        problem = is_problem(await client.post(OFFERS, json=_body(toDistrict=named), headers=admin), 422)
        assert problem["errors"][0]["field"] == "body.toDistrict"
        assert says in problem["errors"][0]["message"]
    assert await _offers(system_sessions) == before
    # the offer form's choice: the other active districts only
    active = await provision(system_sessions, "receiving")
    slugs = {district["slug"] for district in (await client.get("/transfers/districts", headers=admin)).json()}
    assert active.slug in slugs
    assert not {district_a.slug, suspended.slug} & slugs


async def test_a_member_already_leaving_is_refused_and_an_unreachable_orgtree_stores_nothing(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    admin = await _admin(client, district_a)
    offer_id = await _held(system_sessions, district_a, district_b)
    async with system_sessions() as session:
        member_id = (await session.get(TransferOffer, offer_id)).member_id  # type: ignore[union-attr]
    before = await _offers(system_sessions)
    again = _body(memberId=str(member_id), toDistrict=district_b.slug)
    assert "already leaving" in is_problem(await client.post(OFFERS, json=again, headers=admin), 409)["detail"]
    # orgtree does not answer here: refused as unavailable, and no offer is held
    is_problem(await client.post(OFFERS, json=_body(toDistrict=district_b.slug), headers=admin), 503)
    assert await _offers(system_sessions) == before


async def test_each_district_sees_its_side_and_a_third_sees_nothing(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    offer_id = await _held(system_sessions, district_a, district_b)
    sender, receiver = await _admin(client, district_a), await _admin(client, district_b)
    third = await _admin(client, await provision(system_sessions, "third"))

    outgoing = (await client.get(f"{OFFERS}/{offer_id}", headers=sender)).json()
    assert (outgoing["direction"], outgoing["member"]["name"], outgoing["memberId"]) != ("incoming", None, None)
    assert outgoing["member"]["name"] == "周明远"
    incoming = (await client.get(f"{OFFERS}/{offer_id}", headers=receiver)).json()
    assert (incoming["direction"], incoming["memberId"]) == ("incoming", None)
    assert (incoming["member"]["name"], incoming["member"]["birthDate"]) == ("周**", "1975")  # masked until taken
    assert incoming["history"] == {"attendance": 1, "creditHours": "2", "points": 0, "assessments": 0}
    listed = (await client.get(OFFERS, params={"direction": "incoming"}, headers=receiver)).json()
    assert offer_id in {uuid.UUID(o["id"]) for o in listed}

    for method, path, body in (
        ("GET", f"{OFFERS}/{offer_id}", None),
        ("POST", f"{OFFERS}/{offer_id}/accept", {"branchId": str(uuid.uuid4())}),
        ("POST", f"{OFFERS}/{offer_id}/decline", {"reason": "不接收"}),
        ("POST", f"{OFFERS}/{offer_id}/withdraw", None),
    ):
        is_problem(await client.request(method, path, json=body, headers=third), 404)
    for direction in ("incoming", "outgoing"):
        assert (await client.get(OFFERS, params={"direction": direction}, headers=third)).json() == []
    sideways = is_problem(await client.get(OFFERS, params={"direction": "sideways"}, headers=third), 422)
    assert sideways["errors"][0]["field"] == "query.direction"


async def test_the_receiver_declines_with_a_reason_and_the_sender_hears_it_once(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    offer_id = await _held(system_sessions, district_a, district_b)
    sender, receiver = await _admin(client, district_a), await _admin(client, district_b)
    is_problem(await client.post(f"{OFFERS}/{offer_id}/decline", json={"reason": "  "}, headers=receiver), 422)
    is_problem(await client.post(f"{OFFERS}/{offer_id}/decline", json={"reason": "不接收"}, headers=sender), 409)
    is_problem(await client.post(f"{OFFERS}/{offer_id}/withdraw", headers=receiver), 409)

    declined = await client.post(f"{OFFERS}/{offer_id}/decline", json={"reason": "接收支部尚未成立"}, headers=receiver)
    assert declined.status_code == 200, declined.text
    assert (declined.json()["status"], declined.json()["declineReason"]) == ("declined", "接收支部尚未成立")
    is_problem(await client.post(f"{OFFERS}/{offer_id}/withdraw", headers=sender), 409)
    is_problem(
        await client.post(f"{OFFERS}/{offer_id}/accept", json={"branchId": str(uuid.uuid4())}, headers=receiver), 409
    )

    async with system_sessions() as session:
        rows = (
            await session.execute(
                select(outbox_message.c.tenant_id, outbox_message.c.payload).where(
                    outbox_message.c.event == "gateway.MemberTransferClosed",
                    outbox_message.c.payload["offer_id"].astext == str(offer_id),
                )
            )
        ).all()
    assert [(tenant, payload["outcome"], payload["note"]) for tenant, payload in rows] == [
        (district_a.id, "declined", "接收支部尚未成立")
    ]


async def test_the_sender_withdraws_and_an_offer_without_history_cannot_be_accepted(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    offer_id = await _held(system_sessions, district_a, district_b, history=False)
    sender, receiver = await _admin(client, district_a), await _admin(client, district_b)
    waiting = await client.post(f"{OFFERS}/{offer_id}/accept", json={"branchId": str(uuid.uuid4())}, headers=receiver)
    assert "not all arrived" in is_problem(waiting, 409)["detail"]
    withdrawn = await client.post(f"{OFFERS}/{offer_id}/withdraw", headers=sender)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"
    assert (await client.get(f"{OFFERS}/{offer_id}", headers=receiver)).json()["status"] == "withdrawn"


async def test_the_consumers_fill_an_offer_once_whatever_comes_twice(
    system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    offer_id = await _held(system_sessions, district_a, district_b)
    async with system_sessions() as session, session.begin():
        offer = await session.get(TransferOffer, offer_id)
        assert offer is not None
        again = MemberTransferOffered(
            tenant_id=district_a.id,
            offer_id=offer_id,
            member_id=offer.member_id,
            to_tenant_id=district_b.id,
            reason="随子女迁居",
            transfer_on=date(2026, 12, 1),
            member=MEMBER,
        )
        await hold_offer(session, again)
        await hold_history(
            session,
            TransferHistoryExported(
                tenant_id=district_a.id, offer_id=offer_id, member_id=offer.member_id, history=HISTORY
            ),
        )
    async with system_sessions() as session:
        rows = (await session.scalars(select(TransferOffer).where(TransferOffer.id == offer_id))).all()
    assert [(r.status, r.member["name"], len(r.history["attendance"])) for r in rows] == [("offered", "周明远", 1)]  # type: ignore[index]

    # training's answer before orgtree's event is held: refused for now, so the queue retries it
    early = TransferHistoryExported(
        tenant_id=district_a.id, offer_id=uuid.uuid4(), member_id=uuid.uuid4(), history=HISTORY
    )
    with pytest.raises(LookupError), tenant_scope(district_a.id):
        async with system_sessions() as session, session.begin():
            await hold_history(session, early)
