"""Closure that proves contact: how feedback reached the hotline (and who took it down), callbacks waived only by
a supervisor for a listed reason the ticket bears out, and points that follow the ticket through a reopening."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Callback, Feedback, TimeBankEntry
from services.dispatch.public.services import follow_hash
from services.dispatch.timebank.services import credit_service
from tests.dispatch.builders import District, as_provider, bearer, history, operator, put_ticket
from tests.dispatch.test_closure import DONE, count, provider_ticket, resolved_by_unit
from tests.platform.tokens import TestIssuer

REASON_CODES = ["unreachable", "wrong_number", "declined", "no_contact", "confirmed_in_person", "other"]


def named(
    issuer: TestIssuer, district: District, role: str, name: str, user_id: uuid.UUID | None = None
) -> dict[str, str]:
    token = issuer.token(tenant=district.id, roles=[role], user_id=user_id or uuid.uuid4(), name=name)
    return {"Authorization": f"Bearer {token}"}


def url(ticket_id: object, step: str) -> str:
    return f"/api/dispatch/tickets/{ticket_id}/{step}"


async def entries(district: District, ticket_id: object) -> list[tuple[str, int, int, int]]:
    """The order's time-bank entries as (kind, points, minutes, round), oldest first."""

    async def read(session: AsyncSession) -> list[tuple[str, int, int, int]]:
        rows = await session.scalars(
            select(TimeBankEntry).where(TimeBankEntry.ticket_id == uuid.UUID(str(ticket_id))).order_by(TimeBankEntry.at)
        )
        return [(e.kind, e.points, e.minutes, e.round) for e in rows]

    found: list[tuple[str, int, int, int]] = await district.run(read)
    return found


# --- feedback: how it reached us ------------------------------------------------------------------------


async def test_feedback_records_how_it_was_collected_and_the_operator_who_took_it(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id = await resolved_by_unit(client, issuer, district_a)
    desk_user = uuid.uuid4()
    desk = named(issuer, district_a, "hotline_operator", "王丽", desk_user)
    for body, message in (
        ({"satisfied": True}, "phone"),
        ({"satisfied": True, "via": "page"}, "one of: phone, sms"),
        ({"satisfied": True, "via": "fax"}, "one of: phone, sms"),
        ({"satisfied": True, "via": 1}, None),
    ):
        refused = await client.post(url(ticket_id, "feedback"), json=body, headers=desk)
        assert refused.status_code == 422, (body, refused.text)
        [error] = refused.json()["errors"]
        assert error["field"] == "body.via"
        assert message is None or message in error["message"]
    assert await count(district_a, Feedback, ticket_id) == 0

    taken = await client.post(url(ticket_id, "feedback"), json={"satisfied": True, "via": "phone"}, headers=desk)
    assert taken.status_code == 201, taken.text
    form = taken.json()
    assert (form["via"], form["takenBy"], form["takenByName"]) == ("phone", str(desk_user), "王丽")
    row = (await history(district_a, ticket_id))[-1]
    assert (row.action, row.details["via"], row.actor_name) == ("feedback", "phone", "王丽")

    # The resident reads the operator's name masked; staff read it in full.
    resident = uuid.uuid4()
    own = await resolved_by_unit(client, issuer, district_a, caller_user_id=resident)
    as_resident = bearer(issuer, district_a.id, ["resident"], user_id=resident)
    wrong = await client.post(url(own, "feedback"), json={"satisfied": True, "via": "phone"}, headers=as_resident)
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "body.via"
    mine = await client.post(url(own, "feedback"), json={"satisfied": True}, headers=as_resident)
    assert mine.status_code == 201, mine.text
    assert (mine.json()["via"], mine.json()["takenBy"], mine.json()["takenByName"]) == ("page", None, None)
    closure = await client.get(url(ticket_id, "closure"), headers=operator(issuer, district_a))
    assert closure.json()["feedback"][0]["takenByName"] == "王丽"


async def test_a_resident_gives_feedback_on_the_public_page_with_the_follow_token(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    token = secrets.token_urlsafe(32)
    ticket_id = await put_ticket(district_a, status="resolved", follow_token_hash=follow_hash(token))
    number = (await client.get(f"/api/dispatch/tickets/{ticket_id}", headers=operator(issuer, district_a))).json()[
        "number"
    ]
    page = f"/api/dispatch/public/{district_a.id}/requests/{number}/feedback"
    for headers, status in (({}, 404), ({"X-Follow-Token": "x" * 43}, 404)):
        assert (await client.post(page, json={"satisfied": True}, headers=headers)).status_code == status
    other = f"/api/dispatch/public/{district_b.id}/requests/{number}/feedback"
    assert (await client.post(other, json={"satisfied": True}, headers={"X-Follow-Token": token})).status_code == 404
    bad = await client.post(page, json={"satisfied": True, "via": "phone"}, headers={"X-Follow-Token": token})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.via"
    assert await count(district_a, Feedback, ticket_id) == 0

    given = await client.post(
        page, json={"satisfied": False, "comment": "灯还是不亮"}, headers={"X-Follow-Token": token}
    )
    assert given.status_code == 201, given.text
    assert (given.json()["via"], given.json()["ticketStatus"]) == ("page", "assigned")
    rows = await client.get(url(ticket_id, "history"), headers=operator(issuer, district_a))
    feedback, reopened = rows.json()[-2:]
    assert (feedback["action"], feedback["actorName"], feedback["actorKind"]) == (
        "feedback",
        "居民（网上自助）",
        "resident",
    )
    assert (reopened["action"], reopened["reason"]) == ("reopened", "灯还是不亮")
    again = await client.post(page, json={"satisfied": True}, headers={"X-Follow-Token": token})
    assert again.status_code == 409  # reopened: nothing to rate until it is resolved again


# --- waiving the callback ----------------------------------------------------------------------------------


async def test_only_a_hotline_supervisor_or_a_district_admin_waives_a_callback(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id = await resolved_by_unit(client, issuer, district_a)
    waiver = {"waived": True, "waiverReason": "declined"}
    plain = await client.post(url(ticket_id, "callback"), json=waiver, headers=operator(issuer, district_a))
    assert plain.status_code == 403, plain.text
    assert plain.headers["content-type"].startswith("application/problem+json")
    assert await count(district_a, Callback, ticket_id) == 0
    unknown = await client.post(
        url(ticket_id, "callback"),
        json={"waived": True, "waiverReason": "busy"},
        headers=named(issuer, district_a, "hotline_supervisor", "赵主管"),
    )
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["body.waiverReason"]
    assert await count(district_a, Callback, ticket_id) == 0

    waived = await client.post(
        url(ticket_id, "callback"),
        json={**waiver, "note": "居民说不用再打电话"},
        headers=named(issuer, district_a, "hotline_supervisor", "赵主管"),
    )
    assert waived.status_code == 201, waived.text
    body = waived.json()
    assert (body["waiverReason"], body["waiverReasonLabel"], body["note"], body["byName"]) == (
        "declined",
        "居民明确表示不需要回访",
        "居民说不用再打电话",
        "赵主管",
    )
    row = (await history(district_a, ticket_id))[-1]
    assert (row.action, row.reason, row.details["waiverReason"]) == (
        "callback_waived",
        "居民明确表示不需要回访：居民说不用再打电话",
        "declined",
    )
    by_admin = await resolved_by_unit(client, issuer, district_a)
    admin = await client.post(
        url(by_admin, "callback"), json=waiver, headers=bearer(issuer, district_a.id, ["district_admin"])
    )
    assert admin.status_code == 201, admin.text


async def test_the_waiver_reasons_are_listed_in_chinese_for_the_desk(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    listed = await client.get("/api/dispatch/closure/waiver-reasons", headers=operator(issuer, district_a))
    assert listed.status_code == 200, listed.text
    assert [r["code"] for r in listed.json()] == REASON_CODES
    unreachable = listed.json()[0]
    assert (unreachable["label"], unreachable["requires"]) == ("多次回访未接通", "须先记录3次未接通的回访")
    volunteer = bearer(issuer, district_a.id, ["volunteer"])
    assert (await client.get("/api/dispatch/closure/waiver-reasons", headers=volunteer)).status_code == 403


async def test_a_waiver_reason_must_be_borne_out_by_the_ticket(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id, provider = await provider_ticket(client, issuer, district_a, status="assigned")  # a caller phone
    await client.post(url(ticket_id, "resolution"), json=DONE, headers=as_provider(issuer, district_a, provider))
    chief = named(issuer, district_a, "hotline_supervisor", "赵主管")
    desk = operator(issuer, district_a)
    unreachable = {"waived": True, "waiverReason": "unreachable"}
    for attempt in range(3):
        early = await client.post(url(ticket_id, "callback"), json=unreachable, headers=chief)
        assert early.status_code == 409, early.text
        assert f"{attempt} recorded so far" in early.json()["detail"]
        called = await client.post(url(ticket_id, "callback"), json={"outcome": "unreachable"}, headers=desk)
        assert called.status_code == 201
    no_contact = await client.post(
        url(ticket_id, "callback"), json={"waived": True, "waiverReason": "no_contact"}, headers=chief
    )
    assert no_contact.status_code == 409  # the caller left a number
    assert (await client.post(url(ticket_id, "callback"), json=unreachable, headers=chief)).status_code == 201

    anonymous = await resolved_by_unit(client, issuer, district_a)  # no caller phone on record
    waived = await client.post(
        url(anonymous, "callback"), json={"waived": True, "waiverReason": "no_contact"}, headers=chief
    )
    assert waived.status_code == 201, waived.text


# --- points follow the ticket -------------------------------------------------------------------------------


async def test_points_are_reversed_when_dissatisfaction_reopens_and_credited_for_the_second_resolution(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id, provider = await provider_ticket(client, issuer, district_a)
    own = as_provider(issuer, district_a, provider)
    desk = operator(issuer, district_a)
    first = await client.post(url(ticket_id, "resolution"), json={**DONE, "serviceMinutes": 90}, headers=own)
    assert first.status_code == 200, first.text
    assert (await client.get("/api/dispatch/timebank/me", headers=own)).json()["balancePoints"] == 15

    unhappy = {"satisfied": False, "via": "phone", "comment": "水管又漏了"}
    assert (await client.post(url(ticket_id, "feedback"), json=unhappy, headers=desk)).status_code == 201
    mine = (await client.get("/api/dispatch/timebank/me", headers=own)).json()
    assert (mine["balancePoints"], mine["serviceMinutes"]) == (0, 0)
    assert mine["entries"][0]["kind"] == "reversal"
    assert mine["entries"][0]["points"] == -15
    assert [h.action for h in await history(district_a, ticket_id)][-2:] == ["reopened", "points_reversed"]

    second = await client.post(url(ticket_id, "resolution"), json={**DONE, "serviceMinutes": 60}, headers=own)
    assert second.status_code == 200, second.text

    async def replay(session: AsyncSession) -> int | None:
        return await credit_service(session, uuid.UUID(ticket_id), provider.id, 60)

    assert await district_a.run(replay) is None  # a replayed completion credits once
    assert await entries(district_a, ticket_id) == [
        ("credit", 15, 90, 1),
        ("reversal", -15, -90, 1),
        ("credit", 10, 60, 2),
    ]
    mine = (await client.get("/api/dispatch/timebank/me", headers=own)).json()
    assert (mine["balancePoints"], mine["serviceMinutes"]) == (10, 60)

    happy = {"satisfied": True, "via": "sms"}
    assert (await client.post(url(ticket_id, "feedback"), json=happy, headers=desk)).status_code == 201
    assert (await client.post(url(ticket_id, "callback"), json={"outcome": "reached"}, headers=desk)).status_code == 201
    assert (await client.post(url(ticket_id, "close"), headers=desk)).status_code == 200
    assert len(await entries(district_a, ticket_id)) == 3  # closing changes no points


async def test_a_reversal_takes_back_only_what_the_balance_still_holds(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id, provider = await provider_ticket(client, issuer, district_a)
    own = as_provider(issuer, district_a, provider)
    await client.post(url(ticket_id, "resolution"), json={**DONE, "serviceMinutes": 90}, headers=own)
    spent = await client.post(
        "/api/dispatch/timebank/redemptions", json={"points": 10, "item": "大米一袋"}, headers=own
    )
    assert spent.status_code == 201, spent.text

    unhappy = {"satisfied": False, "via": "phone"}
    assert (
        await client.post(url(ticket_id, "feedback"), json=unhappy, headers=operator(issuer, district_a))
    ).status_code == 201
    mine = (await client.get("/api/dispatch/timebank/me", headers=own)).json()
    assert mine["balancePoints"] == 0  # never below zero
    reversal = mine["entries"][0]
    assert (reversal["kind"], reversal["points"]) == ("reversal", -5)
    assert "10分不再追回" in reversal["reason"]
    row = (await history(district_a, ticket_id))[-1]
    assert (row.action, row.details["points"], row.details["shortfall"]) == ("points_reversed", 5, 10)

    async def audited(session: AsyncSession) -> list[Any]:
        rows = await session.execute(
            text(
                "SELECT detail FROM audit_event "
                "WHERE action = 'dispatch.timebank.reversed' AND detail->>'ticketId' = :t"
            ),
            {"t": ticket_id},
        )
        return [dict(r[0]) for r in rows]

    [detail] = await district_a.run(audited)
    assert (detail["points"], detail["shortfall"]) == (5, 10)
