"""The escalation ladder (DSP-14), referral notices (DSP-15) and extensions of time limits."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.app import create_app
from services.dispatch.deadlines.sweeps import sweep_deadlines
from services.dispatch.models import Offer, Ticket
from shared.db.engine import make_engine
from shared.settings import Settings
from tests.dispatch.builders import District, events_of, history, make_overdue, open_ticket, operator, staff
from tests.platform.tokens import TestIssuer

LADDER_CODES = ["village_meeting", "member_council", "street_supervision", "district_mediation"]


async def escalate(
    client: AsyncTestClient[Any], headers: dict[str, str], ticket: str, level: int, reason: str = "本级无法化解"
) -> Any:
    return await client.post(
        f"/api/dispatch/tickets/{ticket}/escalations", json={"toLevel": level, "reason": reason}, headers=headers
    )


async def to_street(client: AsyncTestClient[Any], issuer: TestIssuer, district: District) -> dict[str, Any]:
    """A case escalated to the street red-cell supervision meeting (level 3)."""
    ticket = await open_ticket(client, issuer, district)
    headers = staff(issuer, district)
    for level in (1, 2, 3):
        assert (await escalate(client, headers, ticket["id"], level)).status_code == 200
    return ticket


def referral(due_on: date | None = None, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "meeting": "状元街道2026年12月红色细胞督办会",
        "responsibleUnit": "状元街道城管中队",
        "responsiblePerson": "王队长",
        "dueOn": (due_on or date.today() + timedelta(days=10)).isoformat(),
    }
    body.update(overrides)
    return body


async def clock(
    client: AsyncTestClient[Any], issuer: TestIssuer, district: District, ticket: str, kind: str = "resolution"
) -> dict[str, Any]:
    response = await client.get(f"/api/dispatch/tickets/{ticket}/deadlines", headers=operator(issuer, district))
    [row] = [c for c in response.json() if c["kind"] == kind and c["state"] == "running"]
    found: dict[str, Any] = row
    return found


# --- the ladder --------------------------------------------------------------------------------------


async def test_a_case_climbs_one_level_at_a_time_to_the_district_mediation_centre(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)
    leader = uuid.uuid4()
    headers = staff(issuer, district_a, user_id=leader)
    provider = await district_a.add_provider(grid=district_a.grids[0])

    async def offer(session: AsyncSession) -> None:
        now = datetime.now(UTC)
        session.add(
            Offer(
                ticket_id=uuid.UUID(ticket["id"]),
                provider_id=provider.id,
                mode="assign",
                rank=1,
                offered_at=now,
                expires_at=now + timedelta(minutes=2),
            )
        )

    await district_a.run(offer)

    skipped = await escalate(client, headers, ticket["id"], 2)
    assert skipped.status_code == 409, skipped.text
    assert "one level at a time" in skipped.json()["detail"]
    assert (await escalate(client, headers, ticket["id"], 0)).status_code == 409
    unknown = await escalate(client, headers, ticket["id"], 9)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.toLevel"
    assert [h.action for h in await history(district_a, ticket["id"])] == ["created"]  # nothing stored

    units = [district_a.village, district_a.village, district_a.street, district_a.root]
    for level, unit in zip(range(1, 5), units, strict=True):
        response = await escalate(client, headers, ticket["id"], level, reason=f"第{level}级无法化解")
        assert response.status_code == 200, response.text
        assert (response.json()["level"], response.json()["unitId"]) == (level, str(unit))
        assert response.json()["status"] == "assigned"
    beyond = await escalate(client, headers, ticket["id"], 5)
    assert beyond.status_code == 422
    assert beyond.json()["errors"][0]["field"] == "body.toLevel"

    path = (await client.get(f"/api/dispatch/tickets/{ticket['id']}/escalations", headers=headers)).json()
    assert (path["level"], path["levelCode"], path["unitId"]) == (4, "district_mediation", str(district_a.root))
    steps = path["steps"]
    assert [(s["fromLevel"], s["toLevel"], s["levelCode"]) for s in steps] == [
        (n, n + 1, code) for n, code in enumerate(LADDER_CODES)
    ]
    assert all(s["actor"] == str(leader) and not s["automatic"] and s["at"] for s in steps)
    assert [s["reason"] for s in steps] == [f"第{n}级无法化解" for n in range(1, 5)]
    events = await events_of(district_a, "dispatch.TicketEscalated", ticket["id"])
    assert [(e["to_level"], e["automatic"]) for e in events] == [(n, False) for n in range(1, 5)]

    async def offers(session: AsyncSession) -> list[str]:
        return list(await session.scalars(select(Offer.status).where(Offer.ticket_id == uuid.UUID(ticket["id"]))))

    assert await district_a.run(offers) == ["withdrawn"]  # the unit owns the case now, not the volunteer
    running = (await client.get(f"/api/dispatch/tickets/{ticket['id']}/deadlines", headers=headers)).json()
    assert [(c["kind"], c["level"]) for c in running if c["state"] == "running"] == [("resolution", 4)]


async def test_escalation_input_and_state_are_checked(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)
    headers = staff(issuer, district_a)
    for body, field in (
        ({"toLevel": 1}, "body.reason"),
        ({"toLevel": 1, "reason": " "}, "body.reason"),
        ({"toLevel": "one", "reason": "无法化解"}, "body.toLevel"),
    ):
        response = await client.post(f"/api/dispatch/tickets/{ticket['id']}/escalations", json=body, headers=headers)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field
    volunteer = await escalate(client, staff(issuer, district_a, "volunteer"), ticket["id"], 1)
    assert volunteer.status_code == 403
    await client.post(
        f"/api/dispatch/tickets/{ticket['id']}/cancel",
        json={"reason": "来电人撤回"},
        headers=operator(issuer, district_a),
    )
    closed = await escalate(client, headers, ticket["id"], 1)
    assert closed.status_code == 409
    assert [h.action for h in await history(district_a, ticket["id"])] == ["created", "cancelled"]


async def test_history_is_append_only_in_the_database_and_the_api(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)
    await escalate(client, staff(issuer, district_a), ticket["id"], 1)
    for statement in (
        "UPDATE ticket_history SET reason = '改写' WHERE ticket_id = :t",
        "DELETE FROM ticket_history WHERE ticket_id = :t",
    ):

        async def change(session: AsyncSession, sql: str = statement) -> None:
            await session.execute(text(sql), {"t": uuid.UUID(ticket["id"])})

        with pytest.raises(DBAPIError, match="append-only"):
            await district_a.run(change)
        owner = make_engine(settings, "dispatch", "owner")  # not even the tables' owner
        try:
            async with owner.begin() as conn:
                with pytest.raises(DBAPIError, match="append-only"):
                    await conn.execute(text(statement), {"t": uuid.UUID(ticket["id"])})
        finally:
            await owner.dispose()
    assert [h.action for h in await history(district_a, ticket["id"])] == ["created", "escalated", "assigned"]

    app = create_app(settings, verifier=issuer.verifier())
    writable = [
        (route.path, method)
        for route in app.routes
        for method in getattr(route, "methods", set())
        if ("history" in route.path or "escalations" in route.path) and method in ("PUT", "PATCH", "DELETE")
    ]
    assert writable == []
    headers = staff(issuer, district_a)
    for method in ("PUT", "PATCH", "DELETE"):
        for tail in ("history", "escalations"):
            response = await client.request(method, f"/api/dispatch/tickets/{ticket['id']}/{tail}", headers=headers)
            assert response.status_code == 405, (method, tail)


# --- referral notices --------------------------------------------------------------------------------


async def test_referral_notices_only_at_the_street_supervision_meeting(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    headers = staff(issuer, district_a)
    early = await open_ticket(client, issuer, district_a)
    refused = await client.post(f"/api/dispatch/tickets/{early['id']}/referrals", json=referral(), headers=headers)
    assert refused.status_code == 409
    assert "street supervision" in refused.json()["detail"]

    ticket = await to_street(client, issuer, district_a)
    due_on = date.today() + timedelta(days=10)
    issued = await client.post(
        f"/api/dispatch/tickets/{ticket['id']}/referrals", json=referral(due_on), headers=headers
    )
    assert issued.status_code == 201, issued.text
    notice = issued.json()
    assert notice["number"] == f"抄告〔{datetime.now(ZoneInfo('Asia/Shanghai')).year}〕1号"
    assert notice["closureNote"] is None
    assert notice["dueOn"] == due_on.isoformat()
    again = await client.post(f"/api/dispatch/tickets/{ticket['id']}/referrals", json=referral(), headers=headers)
    assert again.status_code == 409  # one open notice per case

    second = await to_street(client, issuer, district_a)
    other = await client.post(f"/api/dispatch/tickets/{second['id']}/referrals", json=referral(), headers=headers)
    assert other.json()["number"] == notice["number"].replace("1号", "2号")
    elsewhere = await to_street(client, issuer, district_b)
    numbered_b = await client.post(
        f"/api/dispatch/tickets/{elsewhere['id']}/referrals", json=referral(), headers=staff(issuer, district_b)
    )
    assert numbered_b.json()["number"] == notice["number"]  # each district counts its own

    [event] = await events_of(district_a, "dispatch.ReferralIssued", ticket["id"])
    assert (event["number"], event["due_on"], event["referral_id"]) == (
        notice["number"],
        due_on.isoformat(),
        notice["id"],
    )
    referral_clock = await clock(client, issuer, district_a, ticket["id"], "referral")
    assert datetime.fromisoformat(referral_clock["dueAt"]) == datetime.fromisoformat(
        f"{(due_on + timedelta(days=1)).isoformat()}T00:00:00+08:00"
    )
    listed = (await client.get(f"/api/dispatch/tickets/{ticket['id']}/referrals", headers=headers)).json()
    assert [n["id"] for n in listed] == [notice["id"]]


async def test_bad_referral_input_is_refused_and_nothing_is_stored(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket = await to_street(client, issuer, district_a)
    headers = staff(issuer, district_a)
    cases = {
        "body.dueOn": referral(date.today() - timedelta(days=3)),
        "body.responsibleUnit": referral(responsibleUnit=""),
        "body.meeting": {k: v for k, v in referral().items() if k != "meeting"},
    }
    for field, body in cases.items():
        response = await client.post(f"/api/dispatch/tickets/{ticket['id']}/referrals", json=body, headers=headers)
        assert response.status_code == 422, (field, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["field"] == field
    assert (await client.get(f"/api/dispatch/tickets/{ticket['id']}/referrals", headers=headers)).json() == []


async def test_a_street_case_cannot_be_resolved_until_the_referral_has_its_closure_note(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket = await to_street(client, issuer, district_a)
    headers = staff(issuer, district_a)
    resolve = f"/api/dispatch/tickets/{ticket['id']}/resolution"
    done = {"note": "楼道堆积物已清理"}

    unissued = await client.post(resolve, json=done, headers=headers)  # the ladder requires a notice here
    assert unissued.status_code == 409, unissued.text
    assert "街道红色细胞督办会" in unissued.json()["detail"]
    assert "抄告单" in unissued.json()["detail"]
    notice = (
        await client.post(f"/api/dispatch/tickets/{ticket['id']}/referrals", json=referral(), headers=headers)
    ).json()
    refused = await client.post(resolve, json=done, headers=headers)
    assert refused.status_code == 409
    assert notice["number"] in refused.json()["detail"]
    assert (await client.get(f"/api/dispatch/tickets/{ticket['id']}", headers=headers)).json()["status"] == "assigned"

    empty = await client.post(f"/api/dispatch/referrals/{notice['id']}/closure", json={"note": ""}, headers=headers)
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "body.note"
    closed = await client.post(
        f"/api/dispatch/referrals/{notice['id']}/closure", json={"note": "已清理楼道堆积物并加装照明"}, headers=headers
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["closureNote"] == "已清理楼道堆积物并加装照明"
    assert closed.json()["closedAt"]
    twice = await client.post(
        f"/api/dispatch/referrals/{notice['id']}/closure", json={"note": "再次办结"}, headers=headers
    )
    assert twice.status_code == 409
    clocks = (await client.get(f"/api/dispatch/tickets/{ticket['id']}/deadlines", headers=headers)).json()
    assert [c["state"] for c in clocks if c["kind"] == "referral"] == ["cancelled"]
    actions = [h.action for h in await history(district_a, ticket["id"])]
    assert actions[-2:] == ["referral_issued", "referral_closed"]
    resolved = await client.post(resolve, json=done, headers=headers)
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved"


async def test_an_overdue_referral_is_a_red_warning(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket = await to_street(client, issuer, district_a)
    await client.post(
        f"/api/dispatch/tickets/{ticket['id']}/referrals", json=referral(), headers=staff(issuer, district_a)
    )
    assert await make_overdue(district_a, ticket["id"], "referral") == 1
    await sweep_deadlines(settings)
    [event] = await events_of(district_a, "dispatch.TicketOverdue", ticket["id"])
    assert (event["warning"], event["clock"], event["level"]) == ("red", "referral", 3)
    view = (await client.get(f"/api/dispatch/tickets/{ticket['id']}", headers=operator(issuer, district_a))).json()
    assert (view["warning"], view["level"]) == ("red", 3)  # no automatic escalation off a referral


# --- extensions ----------------------------------------------------------------------------------------


async def test_an_extension_approved_before_the_deadline_moves_it(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)
    handler = staff(issuer, district_a, "grid_leader")
    due = datetime.fromisoformat((await clock(client, issuer, district_a, ticket["id"]))["dueAt"])
    url = f"/api/dispatch/tickets/{ticket['id']}/extensions"

    for body, field in (
        ({"newDueAt": (due - timedelta(hours=1)).isoformat(), "reason": "需协调物业"}, "body.newDueAt"),
        ({"newDueAt": "2026-12-31T12:00:00", "reason": "需协调物业"}, "body.newDueAt"),
        ({"newDueAt": (due + timedelta(days=2)).isoformat(), "reason": "需协调物业", "clock": "lunch"}, "body.clock"),
    ):
        response = await client.post(url, json=body, headers=handler)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field
    assert (await client.get(url, headers=handler)).json() == []

    later = due + timedelta(days=2)
    asked = await client.post(
        url, json={"newDueAt": later.isoformat(), "reason": "需协调物业更换线路"}, headers=handler
    )
    assert asked.status_code == 201, asked.text
    assert asked.json()["status"] == "pending"
    duplicate = await client.post(url, json={"newDueAt": later.isoformat(), "reason": "再申请"}, headers=handler)
    assert duplicate.status_code == 409
    decision = f"/api/dispatch/extensions/{asked.json()['id']}/decision"
    not_allowed = await client.post(decision, json={"approve": True}, headers=handler)
    assert not_allowed.status_code == 403  # decided by the hotline or the district, not the handler

    approved = await client.post(
        decision, json={"approve": True, "note": "同意延期两天"}, headers=operator(issuer, district_a)
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["decisionNote"] == "同意延期两天"
    assert datetime.fromisoformat((await clock(client, issuer, district_a, ticket["id"]))["dueAt"]) == later
    again = await client.post(decision, json={"approve": False}, headers=operator(issuer, district_a))
    assert again.status_code == 409
    actions = [(h.action, h.reason) for h in await history(district_a, ticket["id"])]
    assert actions[-2:] == [("extension_requested", "需协调物业更换线路"), ("extension_approved", "同意延期两天")]
    await sweep_deadlines(settings)  # the moved deadline is not due: no warning
    assert await events_of(district_a, "dispatch.TicketOverdue", ticket["id"]) == []


async def test_an_extension_is_refused_once_the_deadline_has_passed(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)
    headers = staff(issuer, district_a)
    url = f"/api/dispatch/tickets/{ticket['id']}/extensions"
    due = datetime.fromisoformat((await clock(client, issuer, district_a, ticket["id"]))["dueAt"])
    asked = await client.post(
        url, json={"newDueAt": (due + timedelta(days=1)).isoformat(), "reason": "等待配件"}, headers=headers
    )
    assert asked.status_code == 201

    await make_overdue(district_a, ticket["id"], "resolution")  # passed, not yet swept
    late_decision = await client.post(
        f"/api/dispatch/extensions/{asked.json()['id']}/decision",
        json={"approve": True},
        headers=operator(issuer, district_a),
    )
    assert late_decision.status_code == 409
    later = {"newDueAt": (due + timedelta(days=3)).isoformat(), "reason": "等待配件"}
    late_request = await client.post(url, json=later, headers=headers)
    assert late_request.status_code == 409
    await sweep_deadlines(settings)  # fired: still refused, and the yellow stands
    fired = await client.post(url, json=later, headers=headers)
    assert fired.status_code == 409
    [event] = await events_of(district_a, "dispatch.TicketOverdue", ticket["id"])
    assert event["warning"] == "yellow"
    listed = (await client.get(url, headers=headers)).json()
    assert [e["status"] for e in listed] == ["pending"]


async def test_a_refused_extension_leaves_the_deadline_and_only_the_handler_may_ask(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)
    due = (await clock(client, issuer, district_a, ticket["id"]))["dueAt"]
    handler_user, stranger_user = uuid.uuid4(), uuid.uuid4()
    provider = await district_a.add_provider(user_id=handler_user)
    await district_a.add_provider(user_id=stranger_user)

    async def sign(session: AsyncSession) -> None:
        row = (await session.scalars(select(Ticket).where(Ticket.id == uuid.UUID(ticket["id"])))).one()
        row.provider_id = provider.id

    await district_a.run(sign)
    body = {"newDueAt": (datetime.fromisoformat(due) + timedelta(hours=4)).isoformat(), "reason": "居民白天不在家"}
    url = f"/api/dispatch/tickets/{ticket['id']}/extensions"
    stranger = await client.post(url, json=body, headers=staff(issuer, district_a, "volunteer", stranger_user))
    assert stranger.status_code == 404
    asked = await client.post(url, json=body, headers=staff(issuer, district_a, "volunteer", handler_user))
    assert asked.status_code == 201, asked.text
    refused = await client.post(
        f"/api/dispatch/extensions/{asked.json()['id']}/decision",
        json={"approve": False, "note": "一般事项不予延期"},
        headers=operator(issuer, district_a),
    )
    assert refused.status_code == 200
    assert refused.json()["status"] == "rejected"
    assert (await clock(client, issuer, district_a, ticket["id"]))["dueAt"] == due


# --- districts -------------------------------------------------------------------------------------------


async def test_another_districts_tickets_referrals_and_extensions_are_404(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    ticket = await to_street(client, issuer, district_a)
    a = staff(issuer, district_a)
    notice = (await client.post(f"/api/dispatch/tickets/{ticket['id']}/referrals", json=referral(), headers=a)).json()
    due = datetime.fromisoformat((await clock(client, issuer, district_a, ticket["id"]))["dueAt"])
    extension = (
        await client.post(
            f"/api/dispatch/tickets/{ticket['id']}/extensions",
            json={"newDueAt": (due + timedelta(days=1)).isoformat(), "reason": "会议研究"},
            headers=a,
        )
    ).json()
    b = staff(issuer, district_b)
    calls = [
        ("POST", f"/api/dispatch/tickets/{ticket['id']}/escalations", {"toLevel": 4, "reason": "越权升级"}),
        ("GET", f"/api/dispatch/tickets/{ticket['id']}/escalations", None),
        ("POST", f"/api/dispatch/tickets/{ticket['id']}/referrals", referral()),
        ("GET", f"/api/dispatch/tickets/{ticket['id']}/referrals", None),
        ("POST", f"/api/dispatch/referrals/{notice['id']}/closure", {"note": "越权办结"}),
        (
            "POST",
            f"/api/dispatch/tickets/{ticket['id']}/extensions",
            {"newDueAt": (due + timedelta(days=2)).isoformat(), "reason": "越权延期"},
        ),
        ("GET", f"/api/dispatch/tickets/{ticket['id']}/extensions", None),
        ("POST", f"/api/dispatch/extensions/{extension['id']}/decision", {"approve": True}),
        ("GET", f"/api/dispatch/tickets/{ticket['id']}/deadlines", None),
    ]
    for method, url, body in calls:
        response = await client.request(method, url, json=body, headers=b)
        assert response.status_code == 404, (method, url, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    # Nothing changed in A.
    path = (await client.get(f"/api/dispatch/tickets/{ticket['id']}/escalations", headers=a)).json()
    assert path["level"] == 3
    listed = (await client.get(f"/api/dispatch/tickets/{ticket['id']}/extensions", headers=a)).json()
    assert [e["status"] for e in listed] == ["pending"]
    referrals = (await client.get(f"/api/dispatch/tickets/{ticket['id']}/referrals", headers=a)).json()
    assert referrals[0]["closureNote"] is None


async def test_a_cadre_cannot_escalate_a_case_outside_their_subtree(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)  # in the first grid
    other_grid = district_a.grid_paths[district_a.grids[1]]
    leader = {
        "Authorization": "Bearer "
        + issuer.token(tenant=district_a.id, roles=["grid_leader"], scope=other_grid, user_id=uuid.uuid4())
    }
    response = await escalate(client, leader, ticket["id"], 1)
    assert response.status_code == 404
