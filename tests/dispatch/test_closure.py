"""From done to closed: the handler's resolution, the resident's feedback, the callback, and closing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import (
    Callback,
    Deadline,
    Feedback,
    Notification,
    Provider,
    ReferralNotice,
    TicketHistory,
    TimeBankEntry,
)
from services.dispatch.timebank.services import credit_service
from tests.dispatch.builders import (
    District,
    as_provider,
    bearer,
    events_of,
    open_ticket,
    operator,
    put_ticket,
    set_ticket,
)
from tests.orgtree.builders import mobile
from tests.platform.tokens import TestIssuer

DONE = {"note": "已更换水管接头,试水无渗漏"}


def supervisor(issuer: TestIssuer, district: District) -> dict[str, str]:
    return bearer(issuer, district.id, ["hotline_supervisor"], user_id=uuid.uuid4())


async def provider_ticket(
    client: AsyncTestClient[Any], issuer: TestIssuer, district: District, status: str = "on_site"
) -> tuple[str, Provider]:
    """A desk ticket with a caller phone, signed for by a member volunteer as routing would leave it."""
    ticket = await open_ticket(client, issuer, district, callerPhone=mobile(11))
    provider = await district.add_provider(member_id=uuid.uuid4(), grid=district.grids[0])
    stamp = datetime.now(UTC)
    await set_ticket(
        district, ticket["id"], status=status, provider_id=provider.id, dispatched_at=stamp, accepted_at=stamp
    )
    return ticket["id"], provider


async def history(client: AsyncTestClient[Any], issuer: TestIssuer, district: District, ticket_id: str) -> list[Any]:
    response = await client.get(f"/api/dispatch/tickets/{ticket_id}/history", headers=operator(issuer, district))
    rows: list[Any] = response.json()
    return rows


async def count(district: District, model: Any, ticket_id: object) -> int:
    async def read(session: AsyncSession) -> int:
        return int(
            await session.scalar(
                select(func.count()).select_from(model).where(model.ticket_id == uuid.UUID(str(ticket_id)))
            )
            or 0
        )

    found: int = await district.run(read)
    return found


async def resolved_by_unit(
    client: AsyncTestClient[Any],
    issuer: TestIssuer,
    district: District,
    resolver: uuid.UUID | None = None,
    **values: Any,
) -> str:
    """A unit-owned ticket resolved through the API by a district admin."""
    ticket_id = await put_ticket(district, **values)
    headers = bearer(issuer, district.id, ["district_admin"], user_id=resolver or uuid.uuid4())
    response = await client.post(f"/api/dispatch/tickets/{ticket_id}/resolution", json=DONE, headers=headers)
    assert response.status_code == 200, response.text
    return str(ticket_id)


async def test_the_provider_resolves_with_pledge_fields_and_earns_points(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id, provider = await provider_ticket(client, issuer, district_a)
    body = {**DONE, "serviceMinutes": 90, "materialCost": "12.50", "giftsAccepted": "两斤鸡蛋"}
    response = await client.post(
        f"/api/dispatch/tickets/{ticket_id}/resolution", json=body, headers=as_provider(issuer, district_a, provider)
    )
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["status"] == "resolved"
    assert view["giftsFlagged"] is True
    assert view["resolutionNote"] == DONE["note"]
    assert view["completedAt"] is not None
    actions = [h["action"] for h in await history(client, issuer, district_a, ticket_id)]
    assert actions[-2:] == ["resolved", "pledge_flagged"]
    assert [e["provider_id"] for e in await events_of(district_a, "dispatch.TicketResolved", ticket_id)] == [
        str(provider.id)
    ]
    completed = await events_of(district_a, "dispatch.ServiceCompleted", ticket_id)
    assert [(e["minutes"], e["points"]) for e in completed] == [(90, 15)]  # 10 points an hour, pro rata

    async def notices(session: AsyncSession) -> list[tuple[str, str, str]]:
        rows = await session.scalars(select(Notification).where(Notification.ticket_id == uuid.UUID(ticket_id)))
        return [(n.template, n.recipient_kind, n.channel) for n in rows]

    assert ("ticket_resolved", "resident", "sms") in await district_a.run(notices)
    mine = await client.get("/api/dispatch/timebank/me", headers=as_provider(issuer, district_a, provider))
    assert mine.json()["balancePoints"] == 15
    assert mine.json()["serviceMinutes"] == 90


async def test_only_the_signed_provider_or_staff_in_scope_may_resolve_and_only_once_signed_for(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id, _provider = await provider_ticket(client, issuer, district_a, status="assigned")
    url = f"/api/dispatch/tickets/{ticket_id}/resolution"
    stranger = await district_a.add_provider()
    assert (await client.post(url, json=DONE, headers=as_provider(issuer, district_a, stranger))).status_code == 404
    by_operator = await client.post(url, json=DONE, headers=operator(issuer, district_a))
    assert by_operator.status_code == 403, by_operator.text

    unit_case = await put_ticket(district_a, grid=0)
    other_leader = bearer(issuer, district_a.id, ["grid_leader"], scope=district_a.grid_paths[district_a.grids[1]])
    unit_url = f"/api/dispatch/tickets/{unit_case}/resolution"
    assert (await client.post(unit_url, json=DONE, headers=other_leader)).status_code == 404
    leader = bearer(issuer, district_a.id, ["grid_leader"], scope=district_a.grid_paths[district_a.grids[0]])
    assert (await client.post(unit_url, json=DONE, headers=leader)).status_code == 200
    again = await client.post(unit_url, json=DONE, headers=leader)
    assert again.status_code == 409, again.text

    routing = await put_ticket(district_a, status="routing")
    response = await client.post(
        f"/api/dispatch/tickets/{routing}/resolution", json=DONE, headers=operator(issuer, district_a)
    )
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_an_unsolvable_case_needs_the_explanation_given(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id = await put_ticket(district_a)
    url = f"/api/dispatch/tickets/{ticket_id}/resolution"
    headers = operator(issuer, district_a)
    refused = await client.post(url, json={**DONE, "unsolvable": True}, headers=headers)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["body.explanation"]
    assert (await client.get(f"/api/dispatch/tickets/{ticket_id}", headers=headers)).json()["status"] == "assigned"
    body = {**DONE, "unsolvable": True, "explanation": "涉及产权纠纷,已告知居民向法院起诉"}
    assert (await client.post(url, json=body, headers=headers)).status_code == 200
    resolved = (await history(client, issuer, district_a, str(ticket_id)))[-1]
    assert resolved["action"] == "resolved"
    assert resolved["details"]["unsolvable"] is True
    assert resolved["reason"] == body["explanation"]
    other = await put_ticket(district_a)
    for field, value in (("serviceMinutes", -5), ("materialCost", "-1"), ("materialCost", "NaN")):
        bad = await client.post(
            f"/api/dispatch/tickets/{other}/resolution", json={**DONE, field: value}, headers=headers
        )
        assert bad.status_code == 422, bad.text
        assert bad.json()["errors"][0]["field"] == f"body.{field}"
    assert (await client.get(f"/api/dispatch/tickets/{other}", headers=headers)).json()["status"] == "assigned"


async def test_a_replayed_completion_credits_nothing(district_a: District) -> None:
    provider = await district_a.add_provider()
    ticket_id = await put_ticket(district_a, provider_id=provider.id)

    async def credit(session: AsyncSession) -> int | None:
        return await credit_service(session, ticket_id, provider.id, 120)

    assert await district_a.run(credit) == 20
    assert await district_a.run(credit) is None
    assert await count(district_a, TimeBankEntry, ticket_id) == 1


async def test_the_handler_cannot_rate_their_own_work(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id, provider = await provider_ticket(client, issuer, district_a)
    own = as_provider(issuer, district_a, provider)
    await client.post(f"/api/dispatch/tickets/{ticket_id}/resolution", json=DONE, headers=own)
    rating = await client.post(f"/api/dispatch/tickets/{ticket_id}/feedback", json={"satisfied": True}, headers=own)
    assert rating.status_code == 403
    assert rating.json()["detail"] == "the handler cannot rate their own work"

    resolver = uuid.uuid4()
    unit_case = await resolved_by_unit(client, issuer, district_a, resolver)
    as_operator = operator(issuer, district_a, resolver)  # the same person, now at the desk
    rating = await client.post(
        f"/api/dispatch/tickets/{unit_case}/feedback", json={"satisfied": True}, headers=as_operator
    )
    assert rating.status_code == 403
    assert await count(district_a, Feedback, ticket_id) == 0
    assert await count(district_a, Feedback, unit_case) == 0


async def test_feedback_is_for_resolved_tickets_from_the_resident_or_the_desk(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    resident = uuid.uuid4()
    ticket_id = await put_ticket(district_a, caller_user_id=resident)
    as_resident = bearer(issuer, district_a.id, ["resident"], user_id=resident)
    url = f"/api/dispatch/tickets/{ticket_id}/feedback"
    assert (await client.post(url, json={"satisfied": True}, headers=as_resident)).status_code == 409
    await client.post(f"/api/dispatch/tickets/{ticket_id}/resolution", json=DONE, headers=operator(issuer, district_a))
    other_resident = bearer(issuer, district_a.id, ["resident"], user_id=uuid.uuid4())
    assert (await client.post(url, json={"satisfied": True}, headers=other_resident)).status_code == 404
    cadre = bearer(issuer, district_a.id, ["street_admin"])
    assert (await client.post(url, json={"satisfied": True}, headers=cadre)).status_code == 403
    bad = await client.post(url, json={"satisfied": True, "handlerScore": 6}, headers=as_resident)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.handlerScore"
    assert await count(district_a, Feedback, ticket_id) == 0
    scores = {"satisfied": True, "handlerScore": 5, "stationScore": 4, "processScore": 4, "resultScore": 5}
    given = await client.post(url, json=scores, headers=as_resident)
    assert given.status_code == 201, given.text
    assert given.json()["ticketStatus"] == "resolved"
    assert given.json()["handlerScore"] == 5


async def test_dissatisfaction_reopens_the_ticket_and_keeps_the_old_resolution(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    resident = uuid.uuid4()
    ticket_id = await resolved_by_unit(client, issuer, district_a, caller_user_id=resident)
    as_resident = bearer(issuer, district_a.id, ["resident"], user_id=resident)
    reopened = await client.post(
        f"/api/dispatch/tickets/{ticket_id}/feedback",
        json={"satisfied": False, "comment": "灯还是不亮"},
        headers=as_resident,
    )
    assert reopened.status_code == 201, reopened.text
    assert reopened.json()["ticketStatus"] == "assigned"
    rows = await history(client, issuer, district_a, ticket_id)
    assert [(h["action"], h["toStatus"]) for h in rows[-3:]] == [
        ("resolved", "resolved"),
        ("feedback", "resolved"),
        ("reopened", "assigned"),
    ]
    assert rows[-1]["reason"] == "灯还是不亮"
    assert rows[-3]["details"]["note"] == DONE["note"]

    async def running(session: AsyncSession) -> list[str]:
        rows = await session.scalars(
            select(Deadline.kind).where(
                Deadline.ticket_id == uuid.UUID(ticket_id), Deadline.fired_at.is_(None), Deadline.cancelled_at.is_(None)
            )
        )
        return list(rows)

    assert await district_a.run(running) == ["resolution"]  # the resolution clock runs again
    # Resolved again: the old, dissatisfied feedback does not let it close.
    headers = operator(issuer, district_a)
    await client.post(f"/api/dispatch/tickets/{ticket_id}/resolution", json=DONE, headers=headers)
    await client.post(f"/api/dispatch/tickets/{ticket_id}/callback", json={"outcome": "reached"}, headers=headers)
    refused = await client.post(f"/api/dispatch/tickets/{ticket_id}/close", headers=headers)
    assert refused.status_code == 409
    assert refused.json()["detail"].endswith("awaiting feedback")


async def test_no_closing_without_feedback(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id = await resolved_by_unit(client, issuer, district_a)
    headers = operator(issuer, district_a)
    both = await client.post(f"/api/dispatch/tickets/{ticket_id}/close", headers=headers)
    assert both.status_code == 409
    assert "awaiting feedback" in both.json()["detail"]
    assert "awaiting callback" in both.json()["detail"]
    await client.post(f"/api/dispatch/tickets/{ticket_id}/callback", json={"outcome": "reached"}, headers=headers)
    refused = await client.post(f"/api/dispatch/tickets/{ticket_id}/close", headers=headers)
    assert refused.status_code == 409
    assert refused.json()["detail"].endswith("awaiting feedback")
    closure = await client.get(f"/api/dispatch/tickets/{ticket_id}/closure", headers=headers)
    assert closure.json()["awaiting"] == ["feedback"]
    assert (await client.get(f"/api/dispatch/tickets/{ticket_id}", headers=headers)).json()["status"] == "resolved"


async def test_no_closing_without_a_reached_callback_or_a_waiver(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id = await resolved_by_unit(client, issuer, district_a)
    headers = operator(issuer, district_a)
    await client.post(
        f"/api/dispatch/tickets/{ticket_id}/feedback", json={"satisfied": True, "via": "phone"}, headers=headers
    )
    close = f"/api/dispatch/tickets/{ticket_id}/close"
    refused = await client.post(close, headers=headers)
    assert refused.status_code == 409
    assert refused.json()["detail"].endswith("awaiting callback")
    await client.post(f"/api/dispatch/tickets/{ticket_id}/callback", json={"outcome": "unreachable"}, headers=headers)
    assert (await client.post(close, headers=headers)).status_code == 409  # nobody answered: still owed
    waiver = {"waived": True, "waiverReason": "declined", "note": "居民明确表示无需回访"}
    waived = await client.post(
        f"/api/dispatch/tickets/{ticket_id}/callback", json=waiver, headers=supervisor(issuer, district_a)
    )
    assert waived.status_code == 201, waived.text
    assert waived.json()["outcome"] == "waived"
    assert (waived.json()["waiverReason"], waived.json()["waiverReasonLabel"]) == ("declined", "居民明确表示不需要回访")
    closed = await client.post(close, headers=headers)
    assert closed.status_code == 200, closed.text
    event = (await events_of(district_a, "dispatch.TicketClosed", ticket_id))[0]
    assert event["callback_waived"] is True


async def test_a_waiver_needs_its_reason_and_a_callback_its_outcome(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id = await resolved_by_unit(client, issuer, district_a)
    url = f"/api/dispatch/tickets/{ticket_id}/callback"
    headers = supervisor(issuer, district_a)
    for body, field in (
        ({"waived": True}, "body.waiverReason"),
        ({"waived": True, "waiverReason": " "}, "body.waiverReason"),
        ({"waived": True, "waiverReason": "居民明确表示无需回访"}, "body.waiverReason"),
        ({"waived": True, "waiverReason": "other"}, "body.note"),
        ({"outcome": "reached", "waiverReason": "declined"}, "body.waiverReason"),
        ({"outcome": "maybe"}, "body.outcome"),
        ({}, "body.outcome"),
    ):
        response = await client.post(url, json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert [e["field"] for e in response.json()["errors"]] == [field]
    assert await count(district_a, Callback, ticket_id) == 0
    volunteer_call = await client.post(
        url, json={"outcome": "reached"}, headers=bearer(issuer, district_a.id, ["volunteer"])
    )
    assert volunteer_call.status_code == 403
    assert await count(district_a, Callback, ticket_id) == 0


async def test_the_full_loop_from_resolution_to_closed(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id, provider = await provider_ticket(client, issuer, district_a)
    desk = operator(issuer, district_a)
    resolved = await client.post(
        f"/api/dispatch/tickets/{ticket_id}/resolution",
        json={**DONE, "serviceMinutes": 45},
        headers=as_provider(issuer, district_a, provider),
    )
    assert resolved.status_code == 200
    assert resolved.json()["giftsFlagged"] is False
    feedback = {"satisfied": True, "handlerScore": 5, "comment": "师傅很专业", "via": "phone"}
    assert (
        await client.post(f"/api/dispatch/tickets/{ticket_id}/feedback", json=feedback, headers=desk)
    ).status_code == 201
    called = await client.post(
        f"/api/dispatch/tickets/{ticket_id}/callback",
        json={"outcome": "reached", "note": "居民确认已修好"},
        headers=desk,
    )
    assert called.status_code == 201
    assert (await client.get(f"/api/dispatch/tickets/{ticket_id}/closure", headers=desk)).json()["awaiting"] == []
    closed = await client.post(f"/api/dispatch/tickets/{ticket_id}/close", headers=desk)
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    assert closed.json()["closedAt"] is not None
    [event] = await events_of(district_a, "dispatch.TicketClosed", ticket_id)
    assert (event["satisfied"], event["handler_score"], event["provider_id"], event["callback_waived"]) == (
        True,
        5,
        str(provider.id),
        False,
    )
    assert [
        (e["minutes"], e["points"]) for e in await events_of(district_a, "dispatch.ServiceCompleted", ticket_id)
    ] == [(45, 7)]

    async def templates(session: AsyncSession) -> list[str]:
        rows = await session.scalars(
            select(Notification.template).where(
                Notification.ticket_id == uuid.UUID(ticket_id), Notification.recipient_kind == "resident"
            )
        )
        return sorted(rows)

    assert {"ticket_resolved", "ticket_closed"} <= set(await district_a.run(templates))
    assert [h["action"] for h in await history(client, issuer, district_a, ticket_id)][-4:] == [
        "resolved",
        "feedback",
        "callback",
        "closed",
    ]
    assert (await client.post(f"/api/dispatch/tickets/{ticket_id}/close", headers=desk)).status_code == 409


async def test_another_districts_ticket_is_a_404_for_every_closure_step(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    ticket_id = await resolved_by_unit(client, issuer, district_a)
    other = operator(issuer, district_b)
    for method, path, body in (
        ("POST", "resolution", DONE),
        ("POST", "feedback", {"satisfied": True, "via": "phone"}),
        ("POST", "callback", {"outcome": "reached"}),
        ("POST", "close", None),
        ("GET", "closure", None),
    ):
        response = await client.request(method, f"/api/dispatch/tickets/{ticket_id}/{path}", json=body, headers=other)
        assert response.status_code == 404, (path, response.text)
    assert await count(district_a, Feedback, ticket_id) == 0
    assert await count(district_a, Callback, ticket_id) == 0


async def test_feedback_given_before_a_resolution_does_not_count(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    """Written straight to the rows: an old satisfied form and callback predate the latest resolution."""
    ticket_id = await resolved_by_unit(client, issuer, district_a)
    earlier = datetime.now(UTC) - timedelta(days=2)

    async def old_forms(session: AsyncSession) -> None:
        session.add(Feedback(ticket_id=uuid.UUID(ticket_id), satisfied=True, given_at=earlier))
        session.add(Callback(ticket_id=uuid.UUID(ticket_id), outcome="reached", by_user=uuid.uuid4(), at=earlier))

    await district_a.run(old_forms)
    refused = await client.post(f"/api/dispatch/tickets/{ticket_id}/close", headers=operator(issuer, district_a))
    assert refused.status_code == 409
    assert "awaiting feedback" in refused.json()["detail"]
    assert "awaiting callback" in refused.json()["detail"]


async def test_a_street_case_with_an_open_referral_notice_cannot_be_resolved(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id = await put_ticket(district_a, level_rank=3)  # the street supervision meeting's rung (Yaoxi)
    stamp = datetime.now(UTC)
    notice = ReferralNotice(
        ticket_id=ticket_id,
        number="抄告〔2026〕1号",
        meeting="街道红色细胞督办会",
        responsible_unit="城管中队",
        responsible_person="李队长",
        due_on=stamp.date(),
        issued_by=uuid.uuid4(),
        issued_at=stamp,
    )
    await add_row(district_a, notice)
    url = f"/api/dispatch/tickets/{ticket_id}/resolution"
    refused = await client.post(url, json=DONE, headers=operator(issuer, district_a))
    assert refused.status_code == 409
    assert "抄告〔2026〕1号" in refused.json()["detail"]
    assert await count(district_a, TicketHistory, ticket_id) == 0
    await close_referral(district_a, notice.id)
    assert (await client.post(url, json=DONE, headers=operator(issuer, district_a))).status_code == 200


async def add_row(district: District, row: Any) -> None:
    async def add(session: AsyncSession) -> None:
        session.add(row)

    await district.run(add)


async def close_referral(district: District, notice_id: uuid.UUID) -> None:
    async def close(session: AsyncSession) -> None:
        notice = await session.get(ReferralNotice, notice_id)
        assert notice is not None
        notice.closure_note, notice.closed_at = "已整改到位", datetime.now(UTC)

    await district.run(close)
