"""Organisers: the check-in screen's code and checking people in by hand (with a reason, audited), only for
sessions of their own district and, for those with a scope, of units under it."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from litestar.testing import AsyncTestClient

from shared.clock import now
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, attendee, bearer, organiser
from tests.training.checkin_support import (
    add_resident,
    alter_session,
    attendance_rows,
    audit_count,
    audited,
    count_attendance,
    events,
)

RECORDED = "training.AttendanceRecorded"


def by_hand(session_id: object) -> str:
    return f"/api/training/sessions/{session_id}/attendance"


async def test_an_organiser_checks_a_member_in_by_hand_with_a_reason_once(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    session = await district_a.add_session(hours="3.5", training_days=Decimal(1), category="party_spirit")
    member = await district_a.add_member("周大伯")
    admin = uuid.uuid4()
    headers = bearer(organiser(issuer, district_a, sub=str(admin), name="瑶溪街道组织委员"))
    body = {"personId": str(member.id), "reason": "手机没电，现场签字"}
    first = await client.post(by_hand(session.id), json=body, headers=headers)
    assert first.status_code == 201, first.text
    attendance = first.json()["attendance"]
    assert (attendance["method"], attendance["reason"], attendance["recordedByName"]) == (
        "manual",
        "手机没电，现场签字",
        "瑶溪街道组织委员",
    )
    assert (attendance["creditHours"], attendance["trainingDays"], attendance["personKind"]) == (3.5, 1.0, "member")
    [entry] = await audited(district_a, attendance["id"])
    assert (entry["actor_id"], entry["action"], entry["purpose"]) == (
        str(admin),
        "training.attendance.recorded_by_hand",
        "手机没电，现场签字",
    )
    assert entry["detail"] == {"sessionId": str(session.id), "personId": str(member.id)}
    again = await client.post(by_hand(session.id), json={**body, "reason": "再登记一次"}, headers=headers)
    assert again.status_code == 200
    assert again.json()["alreadyCheckedIn"] is True
    assert again.json()["attendance"]["reason"] == "手机没电，现场签字"  # the first record stands
    assert len(await audited(district_a, attendance["id"])) == 1
    [row] = await attendance_rows(district_a, session.id)
    assert (row.category, row.training_days, row.recorded_by) == ("party_spirit", Decimal("1.0"), admin)
    [event] = await events(district_a, RECORDED, session.id)
    assert (event["method"], event["credit_hours"]) == ("manual", "3.5")


async def test_the_attendance_keeps_what_the_session_was_worth(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    session = await district_a.add_session(hours="2")
    resident = await add_resident(district_a)  # a resident may be checked in by hand
    answer = await client.post(
        by_hand(session.id),
        json={"personId": str(resident.id), "reason": "居民旁听微党课"},
        headers=bearer(organiser(issuer, district_a)),
    )
    assert answer.status_code == 201, answer.text
    await alter_session(district_a, session.id, credit_hours=Decimal(4))
    [row] = await attendance_rows(district_a, session.id)
    assert (row.credit_hours, row.category, row.person_id) == (Decimal("2.0"), "theory", resident.id)
    [event] = await events(district_a, RECORDED, session.id)
    assert (event["member_id"], event["user_id"]) == (None, None)


async def test_a_check_in_by_hand_needs_a_reason(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    session = await district_a.add_session()
    member = await district_a.add_member()
    headers = bearer(organiser(issuer, district_a))
    person = {"personId": str(member.id)}
    reasons: list[object] = ["补", "   ", "补" * 201, "请联系13812345678", 12]
    cases = {
        "body.reason": [person, *({**person, "reason": reason} for reason in reasons)],
        "body.personId": [{"personId": 123, "reason": "现场签字"}, {"personId": "someone", "reason": "现场签字"}],
    }
    before = await audit_count(district_a)
    for field, bodies in cases.items():
        for body in bodies:
            answer = await client.post(by_hand(session.id), json=body, headers=headers)
            assert answer.status_code == 422, (body, answer.text)
            assert answer.json()["errors"][0]["field"] == field, (body, answer.text)
    assert await attendance_rows(district_a, session.id) == []
    assert await audit_count(district_a) == before


async def test_by_hand_refused_before_the_window_and_for_a_cancelled_session_but_not_after_it(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    member = await district_a.add_member()
    headers = bearer(organiser(issuer, district_a))
    body = {"personId": str(member.id), "reason": "纸质签到表补录"}
    later = await district_a.add_session(starts_in=timedelta(days=1))
    assert (await client.post(by_hand(later.id), json=body, headers=headers)).status_code == 409
    cancelled = await district_a.add_session()
    await alter_session(district_a, cancelled.id, cancelled_at=now())
    assert (await client.post(by_hand(cancelled.id), json=body, headers=headers)).status_code == 409
    screen = await client.get(f"/api/training/sessions/{cancelled.id}/checkin-code", headers=headers)
    assert screen.status_code == 409
    held = await district_a.add_session(starts_in=timedelta(hours=-3))
    await alter_session(district_a, held.id, checkin_closes_at=now() - timedelta(hours=1))
    assert (await client.post(by_hand(held.id), json=body, headers=headers)).status_code == 201  # a paper sheet
    assert await count_attendance(district_a) == 1


async def test_another_districts_session_or_person_is_not_found(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    session, member = await district_a.add_session(), await district_a.add_member()
    b_session, b_member = await district_b.add_session(), await district_b.add_member()
    b_admin = bearer(organiser(issuer, district_b))
    body = {"personId": str(member.id), "reason": "现场签字"}
    assert (await client.get(f"/api/training/sessions/{session.id}/checkin-code", headers=b_admin)).status_code == 404
    assert (await client.post(by_hand(session.id), json=body, headers=b_admin)).status_code == 404
    a_admin = bearer(organiser(issuer, district_a))
    mixed = await client.post(by_hand(session.id), json={**body, "personId": str(b_member.id)}, headers=a_admin)
    assert mixed.status_code == 404
    unknown = await client.get(f"/api/training/sessions/{uuid.uuid4()}/checkin-code", headers=a_admin)
    assert unknown.status_code == 404
    assert (await client.post(by_hand(b_session.id), json=body, headers=a_admin)).status_code == 404
    assert await count_attendance(district_a) == 0
    assert await count_attendance(district_b) == 0


async def test_organisers_with_a_scope_act_only_on_sessions_of_units_under_it(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ours = await district_a.add_session()  # organised by the district's branch
    elsewhere, district_wide = await district_a.add_session(), await district_a.add_session()
    await alter_session(district_a, elsewhere.id, organiser_unit_path=f"{district_a.branch_path[:-3]}b2/")
    await alter_session(district_a, district_wide.id, organiser_unit_id=None, organiser_unit_path=None)
    member = await district_a.add_member()
    street = district_a.branch_path.rsplit("/", 2)[0] + "/"  # the street working committee above the branch
    cadre = bearer(issuer.token(tenant=district_a.id, roles=["community_cadre"], scope=district_a.branch_path))
    body = {"personId": str(member.id), "reason": "现场签字"}
    assert (await client.get(f"/api/training/sessions/{ours.id}/checkin-code", headers=cadre)).status_code == 200
    assert (await client.post(by_hand(ours.id), json=body, headers=cadre)).status_code == 201
    for other in (elsewhere, district_wide):
        assert (await client.get(f"/api/training/sessions/{other.id}/checkin-code", headers=cadre)).status_code == 404
        assert (await client.post(by_hand(other.id), json=body, headers=cadre)).status_code == 404
    street_admin = bearer(issuer.token(tenant=district_a.id, roles=["street_admin"], scope=street))
    assert (await client.post(by_hand(elsewhere.id), json=body, headers=street_admin)).status_code == 201


async def test_members_neither_see_the_code_nor_check_others_in(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    session = await district_a.add_session()
    member, other = await district_a.add_member(), await district_a.add_member("钱七")
    token = bearer(attendee(issuer, district_a, member))
    assert (await client.get(f"/api/training/sessions/{session.id}/checkin-code", headers=token)).status_code == 403
    body = {"personId": str(other.id), "reason": "帮他签到"}
    assert (await client.post(by_hand(session.id), json=body, headers=token)).status_code == 403
    admin = bearer(organiser(issuer, district_a))
    assert (await client.post("/api/training/checkins", json={"code": "A" * 50}, headers=admin)).status_code == 403
    assert await attendance_rows(district_a, session.id) == []
