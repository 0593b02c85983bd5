"""Sessions (TRN-02): defaults from the programme, every rule a 422 naming the field with nothing stored, a
cancelled session frozen, organisers with a scope confined to their units, listing by time, programme and unit
with keyset pages, the attendance list, and districts apart."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.demo.loader import load_demo
from services.training.models import Attendance, Person, PersonKind, TrainingSession
from shared.clock import now
from shared.settings import Settings
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser

SESSIONS = "/api/training/sessions"
START = datetime(2027, 3, 5, 1, 0, tzinfo=UTC)  # 09:00 in Wenzhou


def admin(issuer: TestIssuer, district: District) -> dict[str, str]:
    return bearer(organiser(issuer, district))


def scoped(issuer: TestIssuer, district: District, role: str, scope: str) -> dict[str, str]:
    return bearer(issuer.token(tenant=district.id, roles=[role], scope=scope))


def street(district: District) -> str:
    """The street of ``district.branch_path`` (``/<d>/s1/b1/``)."""
    return district.branch_path.removesuffix("b1/")


def body(district: District, programme: str = "micro_party_lecture", **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "programmeId": str(district.programmes[programme]),
        "title": "微党课：红色细胞在身边",
        "place": "瑶溪街道党群服务中心",
        "startsAt": START.isoformat(),
        "endsAt": (START + timedelta(hours=2)).isoformat(),
        "organiserUnitName": "瑶溪街道党工委",
        "organiserUnitPath": street(district),
    }
    return {**values, **fields}


def at(moment: datetime) -> str:
    return moment.isoformat()


async def stored(district: District) -> int:
    async def count(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(TrainingSession)) or 0)

    counted: int = await district.run(count)
    return counted


async def attend(district: District, session_id: uuid.UUID, person: Person, **fields: Any) -> None:
    async def add(session: AsyncSession) -> None:
        values: dict[str, Any] = {"method": "qr", "credit_hours": Decimal(1), "category": "theory"}
        session.add(
            Attendance(
                session_id=session_id, person_id=person.id, checked_in_at=now(), counts=[], **{**values, **fields}
            )
        )

    await district.run(add)


async def test_a_session_takes_its_category_hours_and_window_from_the_programme(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    created = await client.post(SESSIONS, json=body(district_a), headers=admin(issuer, district_a))
    assert created.status_code == 201, created.text
    s = created.json()
    assert (s["programmeCode"], s["programmeName"], s["category"], s["creditHours"], s["trainingDays"]) == (
        "micro_party_lecture",
        "微党课",
        "theory",
        1.0,
        0.0,
    )
    assert datetime.fromisoformat(s["checkinOpensAt"]) == START - timedelta(minutes=30)
    assert datetime.fromisoformat(s["checkinClosesAt"]) == START + timedelta(hours=2)
    assert (s["organiserUnitPath"], s["attendanceCount"], s["cancelledAt"]) == (street(district_a), 0, None)

    chosen = body(district_a, "hundred_day_training", category="practice", creditHours=6.5)
    chosen["endsAt"] = at(START + timedelta(days=2, hours=8))
    three_days = await client.post(SESSIONS, json=chosen, headers=admin(issuer, district_a))
    assert three_days.status_code == 201, three_days.text
    assert (three_days.json()["category"], three_days.json()["creditHours"], three_days.json()["trainingDays"]) == (
        "practice",
        6.5,
        3.0,
    )
    assert three_days.json()["counts"] == ["training_days"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"creditHours": 0}, "body.creditHours"),
        ({"creditHours": 24.1}, "body.creditHours"),
        ({"creditHours": 1.25}, "body.creditHours"),
        ({"creditHours": "2"}, "body.creditHours"),
        ({"trainingDays": 31}, "body.trainingDays"),
        ({"trainingDays": -1}, "body.trainingDays"),
        ({"endsAt": at(START - timedelta(minutes=1))}, "body.endsAt"),
        ({"endsAt": at(START)}, "body.endsAt"),
        ({"endsAt": at(START + timedelta(days=31))}, "body.endsAt"),
        ({"checkinClosesAt": at(START - timedelta(hours=1))}, "body.checkinClosesAt"),
        ({"checkinClosesAt": at(START + timedelta(days=1, hours=3))}, "body.checkinClosesAt"),
        ({"checkinOpensAt": at(START - timedelta(days=2))}, "body.checkinOpensAt"),
        (
            {"checkinOpensAt": at(START + timedelta(hours=3)), "checkinClosesAt": at(START + timedelta(hours=4))},
            "body.checkinOpensAt",
        ),
        ({"startsAt": "2027-03-05T09:00:00"}, "body.startsAt"),
        ({"title": ""}, "body.title"),
        ({"title": "党" * 201}, "body.title"),
        ({"place": "   "}, "body.place"),
        ({"programmeId": str(uuid.uuid4())}, "body.programmeId"),
        ({"category": "astrology"}, "body.category"),
        ({"organiserUnitPath": "s1/b1"}, "body.organiserUnitPath"),
        ({"room": "101"}, "body.room"),
    ],
)
async def test_a_bad_session_is_a_422_naming_the_field_and_nothing_is_stored(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, fields: dict[str, Any], field: str
) -> None:
    answer = await client.post(SESSIONS, json=body(district_a, **fields), headers=admin(issuer, district_a))
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert await stored(district_a) == 0


async def test_another_districts_programme_or_a_withdrawn_one_is_unknown(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    theirs = body(district_a, programmeId=str(district_b.programmes["micro_party_lecture"]))
    answer = await client.post(SESSIONS, json=theirs, headers=admin(issuer, district_a))
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "body.programmeId")
    lecture = district_a.programmes["micro_party_lecture"]
    await client.patch(f"/api/training/programmes/{lecture}", json={"active": False}, headers=admin(issuer, district_a))
    withdrawn = await client.post(SESSIONS, json=body(district_a), headers=admin(issuer, district_a))
    assert (withdrawn.status_code, withdrawn.json()["errors"][0]["field"]) == (422, "body.programmeId")
    assert await stored(district_a) == 0


async def test_a_change_is_checked_whole_and_the_default_window_follows_the_times(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    headers = admin(issuer, district_a)
    s = (await client.post(SESSIONS, json=body(district_a), headers=headers)).json()
    later = START + timedelta(days=1)
    moved = await client.patch(
        f"{SESSIONS}/{s['id']}",
        json={"startsAt": at(later), "endsAt": at(later + timedelta(hours=3)), "creditHours": 3},
        headers=headers,
    )
    assert moved.status_code == 200, moved.text
    m = moved.json()
    assert (m["creditHours"], datetime.fromisoformat(m["checkinOpensAt"])) == (3.0, later - timedelta(minutes=30))
    assert datetime.fromisoformat(m["checkinClosesAt"]) == later + timedelta(hours=3)

    bad = await client.patch(
        f"{SESSIONS}/{s['id']}", json={"title": "新标题", "endsAt": at(later - timedelta(hours=1))}, headers=headers
    )
    assert (bad.status_code, [e["field"] for e in bad.json()["errors"]]) == (422, ["body.endsAt"])
    too_early = {"checkinClosesAt": at(later - timedelta(hours=1))}
    narrow = await client.patch(f"{SESSIONS}/{s['id']}", json=too_early, headers=headers)
    assert (narrow.status_code, narrow.json()["errors"][0]["field"]) == (422, "body.checkinClosesAt")
    kept = (await client.get(f"{SESSIONS}/{s['id']}", headers=headers)).json()
    assert (kept["title"], kept["endsAt"], kept["checkinClosesAt"]) == (s["title"], m["endsAt"], m["checkinClosesAt"])


async def test_a_cancelled_session_cannot_change(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    headers = admin(issuer, district_a)
    s = (await client.post(SESSIONS, json=body(district_a), headers=headers)).json()
    cancelled = await client.post(f"{SESSIONS}/{s['id']}/cancel", headers=headers)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["cancelledAt"] is not None
    changed = await client.patch(f"{SESSIONS}/{s['id']}", json={"title": "改期"}, headers=headers)
    assert changed.status_code == 409
    assert "cancelled" in changed.json()["detail"]
    assert (await client.post(f"{SESSIONS}/{s['id']}/cancel", headers=headers)).status_code == 409
    assert (await client.get(f"{SESSIONS}/{s['id']}", headers=headers)).json()["title"] == s["title"]


async def test_organisers_with_a_scope_organise_only_under_it(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    mine = street(district_a)
    elsewhere = mine.replace("/s1/", "/s2/")
    for role in ("street_admin", "community_cadre"):
        headers = scoped(issuer, district_a, role, mine)
        inside = await client.post(SESSIONS, json=body(district_a, organiserUnitPath=f"{mine}b1/"), headers=headers)
        assert inside.status_code == 201, inside.text
        for path in (elsewhere, None):
            outside = await client.post(SESSIONS, json=body(district_a, organiserUnitPath=path), headers=headers)
            assert outside.status_code == 422, role
            assert outside.json()["errors"][0]["field"] == "body.organiserUnitPath"
        moved_out = await client.patch(
            f"{SESSIONS}/{inside.json()['id']}", json={"organiserUnitPath": elsewhere}, headers=headers
        )
        assert moved_out.status_code == 422
    theirs = await client.post(
        SESSIONS, json=body(district_a, organiserUnitPath=elsewhere), headers=admin(issuer, district_a)
    )
    assert theirs.status_code == 201
    street_admin = scoped(issuer, district_a, "street_admin", mine)
    assert (
        await client.patch(f"{SESSIONS}/{theirs.json()['id']}", json={"title": "改"}, headers=street_admin)
    ).status_code == 403
    assert (await client.post(f"{SESSIONS}/{theirs.json()['id']}/cancel", headers=street_admin)).status_code == 403
    assert (await client.get(f"{SESSIONS}/{theirs.json()['id']}", headers=street_admin)).status_code == 200
    for role in ("grid_leader", "member", "volunteer"):
        refused = await client.post(SESSIONS, json=body(district_a), headers=scoped(issuer, district_a, role, mine))
        assert refused.status_code == 403, role
    assert await stored(district_a) == 3


async def test_sessions_list_by_time_programme_and_unit_in_keyset_pages(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    headers = admin(issuer, district_a)
    other_street = street(district_a).replace("/s1/", "/s2/")
    for day in range(5):
        fields: dict[str, Any] = {
            "title": f"第{day + 1}讲",
            "startsAt": at(START + timedelta(days=day)),
            "endsAt": at(START + timedelta(days=day, hours=1)),
        }
        if day == 4:
            fields |= {"organiserUnitPath": other_street}
        programme = "july_first_assembly" if day == 2 else "micro_party_lecture"
        assert (
            await client.post(SESSIONS, json=body(district_a, programme, **fields), headers=headers)
        ).status_code == 201
    member = bearer(issuer.token(tenant=district_a.id, roles=["member"]))
    titles: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(SESSIONS, params=params, headers=member)).json()
        titles += [s["title"] for s in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert titles == ["第1讲", "第2讲", "第3讲", "第4讲", "第5讲"]

    async def listed(**params: Any) -> list[str]:
        answer = await client.get(SESSIONS, params=params, headers=member)
        assert answer.status_code == 200, answer.text
        return [s["title"] for s in answer.json()["items"]]

    window = {"from": at(START + timedelta(days=1)), "to": at(START + timedelta(days=3))}
    assert await listed(**window) == ["第2讲", "第3讲"]
    assert await listed(programmeId=str(district_a.programmes["july_first_assembly"])) == ["第3讲"]
    assert await listed(unitPath=other_street) == ["第5讲"]
    assert len(await listed(unitPath=street(district_a))) == 4
    bad = await client.get(SESSIONS, params={"cursor": "yesterday|nobody"}, headers=member)
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "query.cursor")


async def test_the_attendance_list_names_each_person_and_how_they_came(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    s = await district_a.add_session()
    member = await district_a.add_member("林晓红")
    elsewhere = await district_a.add_member("陈建国", branch_path=street(district_a).replace("/s1/", "/s2/") + "b9/")
    recorder = uuid.uuid4()
    await attend(district_a, s.id, member)
    by_hand = {
        "method": "manual",
        "reason": "手机没电",
        "recorded_by": recorder,
        "recorded_by_name": "瑶溪街道组织委员",
    }
    await attend(district_a, s.id, elsewhere, **by_hand)
    detail = await client.get(f"{SESSIONS}/{s.id}", headers=admin(issuer, district_a))
    assert detail.json()["attendanceCount"] == 2
    listed = await client.get(f"{SESSIONS}/{s.id}/attendance", headers=admin(issuer, district_a))
    assert listed.status_code == 200, listed.text
    rows = [(a["personName"], a["method"], a["reason"], a["recordedByName"]) for a in listed.json()["items"]]
    assert rows == [("林晓红", "qr", None, None), ("陈建国", "manual", "手机没电", "瑶溪街道组织委员")]
    assert listed.json()["items"][1]["recordedBy"] == str(recorder)
    first = await client.get(f"{SESSIONS}/{s.id}/attendance", params={"limit": 1}, headers=admin(issuer, district_a))
    following = {"limit": 1, "cursor": first.json()["next"]}
    rest = await client.get(f"{SESSIONS}/{s.id}/attendance", params=following, headers=admin(issuer, district_a))
    assert [a["personName"] for a in first.json()["items"] + rest.json()["items"]] == ["林晓红", "陈建国"]
    # a grid leader of another street sees only their own people at a session of someone else's unit
    leader = scoped(issuer, district_a, "grid_leader", street(district_a).replace("/s1/", "/s2/"))
    theirs = await client.get(f"{SESSIONS}/{s.id}/attendance", headers=leader)
    assert [a["personName"] for a in theirs.json()["items"]] == ["陈建国"]
    member_token = bearer(issuer.token(tenant=district_a.id, roles=["member"], user_id=member.user_id))
    assert (await client.get(f"{SESSIONS}/{s.id}/attendance", headers=member_token)).status_code == 403


async def test_another_districts_session_is_a_404(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await district_a.add_session()
    headers = admin(issuer, district_b)
    assert (await client.get(f"{SESSIONS}/{s.id}", headers=headers)).status_code == 404
    assert (await client.get(f"{SESSIONS}/{s.id}/attendance", headers=headers)).status_code == 404
    assert (await client.patch(f"{SESSIONS}/{s.id}", json={"title": "偷改"}, headers=headers)).status_code == 404
    assert (await client.post(f"{SESSIONS}/{s.id}/cancel", headers=headers)).status_code == 404
    assert (await client.get(SESSIONS, headers=headers)).json()["items"] == []
    kept = (await client.get(f"{SESSIONS}/{s.id}", headers=admin(issuer, district_a))).json()
    assert (kept["title"], kept["cancelledAt"]) == (s.title, None)


async def test_a_resident_appears_in_the_attendance_list_as_a_resident(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    s = await district_a.add_session("micro_lecture")

    async def add(session: AsyncSession) -> Person:
        person = Person(kind=PersonKind.RESIDENT, name="王阿姨", flags=[], duties=[])
        session.add(person)
        await session.flush()
        return person

    resident: Person = await district_a.run(add)
    await attend(district_a, s.id, resident, method="manual", reason="居民，无账号")
    listed = await client.get(f"{SESSIONS}/{s.id}/attendance", headers=admin(issuer, district_a))
    assert [(a["personName"], a["personKind"]) for a in listed.json()["items"]] == [("王阿姨", "resident")]


async def test_the_demo_loads_past_and_upcoming_sessions_once(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    longwan = {"id": str(district_a.id), "slug": "wenzhou-longwan", "name": "龙湾区"}
    [first] = await load_demo(settings, [longwan])
    [again] = await load_demo(settings, [longwan])
    assert (first.endswith("5 demo sessions added"), again.endswith("0 demo sessions added")) == (True, True)
    listed = (await client.get(SESSIONS, headers=admin(issuer, district_a))).json()["items"]
    by_title = {s["title"]: s for s in listed}
    assert len(listed) == 5
    assert by_title["七一党员大会"]["organiserUnitName"] == "瑶溪街道党工委"
    assert datetime.fromisoformat(by_title["七一党员大会"]["startsAt"]) < now()
    assert datetime.fromisoformat(by_title["96345志愿者岗前培训"]["startsAt"]) > now()
    assert by_title["96345志愿者岗前培训"]["counts"] == ["pre_service"]
    moment = now()
    opens, closes = "checkinOpensAt", "checkinClosesAt"
    open_now = [s for s in listed if datetime.fromisoformat(s[opens]) <= moment < datetime.fromisoformat(s[closes])]
    assert [s["programmeCode"] for s in open_now] == ["micro_party_lecture"]
