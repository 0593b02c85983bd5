"""A member checks in by scanning the organiser's changing code: once, within the session's window, only with a
code that is current, of this district and not altered."""

from __future__ import annotations

import asyncio
import base64
import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from services.training.checkin import codes
from shared.clock import now
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, attendee, bearer, organiser
from tests.training.checkin_support import (
    STEP_S,
    alter_session,
    attendance_rows,
    code_shown,
    count_attendance,
    early_in_a_step,
    events,
)

RECORDED = "training.AttendanceRecorded"
PRE_SERVICE = "training.PreServiceTrainingCompleted"


async def scan(client: AsyncTestClient[Any], token: str, code: object) -> Any:
    return await client.post("/api/training/checkins", json={"code": code}, headers=bearer(token))


async def test_the_organisers_screen_shows_a_code_that_checks_a_member_in(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    session = await district_a.add_session(hours="2.5")
    member = await district_a.add_member("林志红")
    await early_in_a_step()
    shown = await client.get(
        f"/api/training/sessions/{session.id}/checkin-code", headers=bearer(organiser(issuer, district_a))
    )
    assert shown.status_code == 200, shown.text
    screen = shown.json()
    assert re.fullmatch(r"[A-Za-z0-9_-]{50}", screen["code"])  # URL-safe and short: a QR code a phone reads at once
    assert screen["checkinPath"] == f"/console/training/checkin?c={screen['code']}"
    assert screen["stepSeconds"] == STEP_S
    refresh, expires = datetime.fromisoformat(screen["refreshAt"]), datetime.fromisoformat(screen["expiresAt"])
    assert now() < refresh <= now() + timedelta(seconds=STEP_S)
    assert expires - refresh == timedelta(seconds=STEP_S)
    answer = await scan(client, attendee(issuer, district_a, member), screen["code"])
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["alreadyCheckedIn"] is False
    assert (body["session"]["id"], body["session"]["title"]) == (str(session.id), session.title)
    attendance = body["attendance"]
    assert (attendance["personId"], attendance["personName"], attendance["method"]) == (str(member.id), "林志红", "qr")
    assert (attendance["creditHours"], body["session"]["counts"], body["session"]["category"]) == (2.5, [], "theory")
    [row] = await attendance_rows(district_a, session.id)
    assert (row.person_id, row.recorded_by) == (member.id, member.user_id)
    [event] = await events(district_a, RECORDED, session.id)
    assert (event["attendance_id"], event["person_id"], event["member_id"]) == (
        str(row.id),
        str(member.id),
        str(member.member_id),
    )
    assert (event["programme_id"], event["method"]) == (str(district_a.programmes["micro_party_lecture"]), "qr")
    assert await events(district_a, PRE_SERVICE, session.id) == []  # not a pre-service programme


async def test_a_code_from_the_step_before_is_still_accepted(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    """The screen changed while the member's phone was sending the scan."""
    session = await district_a.add_session()
    member = await district_a.add_member()
    await early_in_a_step()
    in_flight = code_shown(district_a, session.id, ago=timedelta(seconds=STEP_S))
    assert (await scan(client, attendee(issuer, district_a, member), in_flight)).status_code == 201


async def test_an_expired_code_is_refused_and_nothing_is_stored(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    session = await district_a.add_session()
    member = await district_a.add_member()
    token = attendee(issuer, district_a, member)
    for ago in (timedelta(seconds=2 * STEP_S), timedelta(hours=1)):  # just past its grace; a photo passed on later
        answer = await scan(client, token, code_shown(district_a, session.id, ago=ago))
        assert answer.status_code == 410, answer.text
        assert "expired" in answer.json()["detail"]
        assert answer.json()["errors"] == [{"field": "body.code", "message": "expired"}]
    assert await attendance_rows(district_a, session.id) == []
    assert await events(district_a, RECORDED, session.id) == []


async def test_a_photo_of_a_code_passed_on_after_its_window_is_refused(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    """Someone present scans the screen; someone absent is sent a photo of the code it showed 30 s ago (one that
    checked people in then): only the one present is checked in. The clock is not moved: the photo is of a code
    signed for that earlier step."""
    session = await district_a.add_session()
    present, absent = await district_a.add_member("王建国"), await district_a.add_member("李四")
    scanned = await scan(client, attendee(issuer, district_a, present), code_shown(district_a, session.id))
    assert scanned.status_code == 201
    photo = code_shown(district_a, session.id, ago=timedelta(seconds=3 * STEP_S))
    refused = await scan(client, attendee(issuer, district_a, absent), photo)
    assert refused.status_code == 410
    assert [row.person_id for row in await attendance_rows(district_a, session.id)] == [present.id]


async def test_a_forged_altered_or_other_districts_code_is_refused(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    session, other = await district_a.add_session(), await district_a.add_session(title="另一场")
    member = await district_a.add_member()
    token = attendee(issuer, district_a, member)
    genuine = base64.urlsafe_b64decode(code_shown(district_a, session.id) + "==")
    other_session = genuine[:1] + other.id.bytes + genuine[17:]  # the other session's id under this code's MAC
    later_step = genuine[:17] + (int.from_bytes(genuine[17:21]) + 1000).to_bytes(4) + genuine[21:]
    b_session = await district_b.add_session()
    forged = [
        "A" * codes.LENGTH,
        base64.urlsafe_b64encode(other_session).rstrip(b"=").decode(),
        base64.urlsafe_b64encode(later_step).rstrip(b"=").decode(),
        code_shown(district_b, b_session.id),  # signed, but for another district
        code_shown(district_a, session.id, ago=-timedelta(hours=1)),  # a step no screen has shown yet
    ]
    for code in forged:
        answer = await scan(client, token, code)
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == "body.code"
    assert await count_attendance(district_a) == 0
    assert await count_attendance(district_b) == 0


async def test_a_code_is_decoded_strictly(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    member = await district_a.add_member()
    token = attendee(issuer, district_a, member)
    for body in ({"code": 123}, {"code": "short"}, {"code": "é" * codes.LENGTH}, {}):
        answer = await client.post("/api/training/checkins", json=body, headers=bearer(token))
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["errors"][0]["field"] == "body.code", answer.text
    session = await district_a.add_session()
    extra = {"code": code_shown(district_a, session.id), "personId": str(member.id)}
    refused = await client.post("/api/training/checkins", json=extra, headers=bearer(token))
    assert refused.status_code == 422
    assert await attendance_rows(district_a, session.id) == []


async def test_check_in_happens_only_within_the_sessions_window(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    member = await district_a.add_member()
    token = attendee(issuer, district_a, member)
    later = await district_a.add_session(starts_in=timedelta(hours=3))  # the window opens 30 minutes before
    early = await scan(client, token, code_shown(district_a, later.id))
    assert early.status_code == 409
    assert "opens at" in early.json()["detail"]
    over = await district_a.add_session(starts_in=timedelta(hours=-3))
    await alter_session(district_a, over.id, checkin_closes_at=now() - timedelta(minutes=1))
    late = await scan(client, token, code_shown(district_a, over.id))
    assert late.status_code == 409
    assert "closed at" in late.json()["detail"]
    screen = await client.get(
        f"/api/training/sessions/{over.id}/checkin-code", headers=bearer(organiser(issuer, district_a))
    )
    assert screen.status_code == 409  # no code is shown for a session whose check-in is over
    cancelled = await district_a.add_session()
    await alter_session(district_a, cancelled.id, cancelled_at=now())
    refused = await scan(client, token, code_shown(district_a, cancelled.id))
    assert refused.status_code == 409
    assert "cancelled" in refused.json()["detail"]
    assert await count_attendance(district_a) == 0


async def test_an_account_linked_to_nobody_is_told_so(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    session = await district_a.add_session()
    stranger = issuer.token(tenant=district_a.id, roles=["volunteer"], user_id=uuid.uuid4())
    answer = await scan(client, stranger, code_shown(district_a, session.id))
    assert answer.status_code == 404
    assert "not linked" in answer.json()["detail"]
    assert await attendance_rows(district_a, session.id) == []


async def test_the_same_member_scanning_twice_is_checked_in_once(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    session = await district_a.add_session()
    member = await district_a.add_member()
    token = attendee(issuer, district_a, member)
    first = await scan(client, token, code_shown(district_a, session.id))
    again = await scan(client, token, code_shown(district_a, session.id))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["alreadyCheckedIn"] is True
    assert again.json()["attendance"]["id"] == first.json()["attendance"]["id"]
    assert len(await attendance_rows(district_a, session.id)) == 1
    assert len(await events(district_a, RECORDED, session.id)) == 1


async def test_twenty_scans_at_once_leave_one_attendance_and_one_event(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    """Twenty requests in flight together, each in its own transaction on its own pooled connection."""
    session = await district_a.add_session()
    member = await district_a.add_member()
    token = attendee(issuer, district_a, member)
    code = code_shown(district_a, session.id)
    answers = await asyncio.gather(*(scan(client, token, code) for _ in range(20)))
    assert sorted(a.status_code for a in answers) == [200] * 19 + [201], [a.text for a in answers]
    assert len({a.json()["attendance"]["id"] for a in answers}) == 1
    assert len(await attendance_rows(district_a, session.id)) == 1
    assert len(await events(district_a, RECORDED, session.id)) == 1


async def test_pre_service_training_publishes_its_completion(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    """EVT-14: attending a pre-service session makes the volunteer dispatchable; dispatch hears it once."""
    session = await district_a.add_session("volunteer_pre_service", category="service_skills")
    volunteer = await district_a.add_member("赵志愿", duties=["volunteer"])
    token = issuer.token(tenant=district_a.id, roles=["volunteer"], user_id=volunteer.user_id)
    for _ in range(2):
        await scan(client, token, code_shown(district_a, session.id))
    [completed] = await events(district_a, PRE_SERVICE, session.id)
    assert (completed["person_id"], completed["member_id"], completed["user_id"]) == (
        str(volunteer.id),
        str(volunteer.member_id),
        str(volunteer.user_id),
    )
    [recorded] = await events(district_a, RECORDED, session.id)
    assert recorded["counts"] == ["pre_service"]
    [row] = await attendance_rows(district_a, session.id)
    assert (row.counts, row.category) == (["pre_service"], "service_skills")
    assert completed["completed_at"] == recorded["checked_in_at"]
