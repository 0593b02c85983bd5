"""Monthly performance reports (TRN-06): a member's month from real rows (the ledger's completed orders and
fulfilled wishes as dispatch's events credit them, attendance, the year's commitments, the month's points), one
report per member and month however often it is generated, an event each time, and who may generate and read."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.models import Attendance, Commitment, MonthlyReport, Person
from services.training.reports.months import this_month
from shared.contracts.base import Envelope
from shared.contracts.dispatch import ServiceCompleted, WishFulfilled
from shared.contracts.training import AttendanceRecorded, MonthlyReportGenerated
from shared.settings import Settings
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, attendee, bearer, organiser
from tests.training.points_support import deliver, with_categories

Client = AsyncTestClient[Any]
REPORTS = "/api/training/reports/monthly"


async def attend(settings: Settings, district: District, person: Person, hours: str, at: datetime) -> None:
    """An attendance row at ``at`` and its AttendanceRecorded through the consumer (a point per credit hour)."""
    held = await district.add_session(hours=hours)

    async def add(session: AsyncSession) -> Attendance:
        row = Attendance(
            session_id=held.id,
            person_id=person.id,
            method="hand",
            reason="补签",
            checked_in_at=at,
            credit_hours=Decimal(hours),
            category="theory",
            counts=[],
        )
        session.add(row)
        await session.flush()
        return row

    row: Attendance = await district.run(add)
    event = AttendanceRecorded(
        tenant_id=district.id,
        attendance_id=row.id,
        session_id=held.id,
        programme_id=held.programme_id,
        person_id=person.id,
        member_id=person.member_id,
        user_id=person.user_id,
        checked_in_at=at,
        credit_hours=Decimal(hours),
        category="theory",
        counts=[],
        method="hand",
    )
    await deliver(settings, event)


async def serve(settings: Settings, district: District, person: Person, minutes: int, points: int) -> None:
    """A completed order of the member's, as dispatch publishes it (delivered twice and replayed)."""
    event = ServiceCompleted(
        tenant_id=district.id,
        ticket_id=uuid.uuid4(),
        provider_id=uuid.uuid4(),
        member_id=person.member_id,
        minutes=minutes,
        points=points,
    )
    await deliver(settings, event)


async def fulfil_wish(settings: Settings, district: District, person: Person) -> None:
    event = WishFulfilled(
        tenant_id=district.id,
        wish_id=uuid.uuid4(),
        claimer_kind="person",
        claimer_provider_id=None,
        claimer_user_id=person.user_id,
        evidence_document_id=None,
    )
    await deliver(settings, event)


async def commit(district: District, person: Person, *, published: bool, score: str | None = None) -> None:
    """A member's commitment of this year, published and evaluated as the commitments board leaves it."""
    at = this_month().starts_at + timedelta(hours=2)

    async def add(session: AsyncSession) -> None:
        session.add(
            Commitment(
                holder_kind="member",
                person_id=person.id,
                holder_path=person.branch_path or "",
                holder_name=person.name,
                period=str(this_month().year),
                title="每月走访困难党员两次",
                content="走访并记录困难党员的需求",
                basis="post",
                state="evaluated" if score else "published" if published else "defined",
                published_at=at if published else None,
                score=Decimal(score) if score else None,
                evaluated_at=at if score else None,
            )
        )

    await district.run(add)


async def report_rows(district: District, person: Person) -> list[MonthlyReport]:
    async def read(session: AsyncSession) -> list[MonthlyReport]:
        return list(await session.scalars(select(MonthlyReport).where(MonthlyReport.person_id == person.id)))

    rows: list[MonthlyReport] = await district.run(read)
    return rows


async def generated_events(district: District, person: Person) -> list[MonthlyReportGenerated]:
    """The person's MonthlyReportGenerated events in the outbox, decoded as a subscriber would, oldest first."""

    async def read(session: AsyncSession) -> list[Any]:
        query = text(
            "SELECT id, tenant_id, payload, created_at FROM outbox_message "
            "WHERE event = :e AND payload->>'person_id' = :p ORDER BY seq"
        )
        return list(await session.execute(query, {"e": MonthlyReportGenerated.NAME, "p": str(person.id)}))

    found = []
    for row in await district.run(read):
        payload = dict(row.payload)
        version = payload.pop("version")
        envelope = Envelope(
            id=row.id,
            event=MonthlyReportGenerated.NAME,
            version=version,
            tenant_id=row.tenant_id,
            occurred_at=row.created_at,
            payload=payload,
        )
        decoded = envelope.decode()
        assert isinstance(decoded, MonthlyReportGenerated)
        found.append(decoded)
    return found


async def test_a_members_month_is_summed_from_the_ledger_attendance_and_commitments(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    await with_categories(district_a)
    member = await district_a.add_member("林志红")
    other = await district_a.add_member("陈海燕")
    month = this_month()
    early = month.starts_at + timedelta(hours=1)
    await attend(settings, district_a, member, "2", early)
    await attend(settings, district_a, member, "1.5", early + timedelta(hours=3))
    await attend(settings, district_a, member, "4", month.starts_at - timedelta(hours=1))  # last month's
    await serve(settings, district_a, member, minutes=90, points=15)
    await serve(settings, district_a, member, minutes=30, points=5)
    await fulfil_wish(settings, district_a, member)
    await commit(district_a, member, published=True, score="90")
    await commit(district_a, member, published=True, score="80")
    await commit(district_a, member, published=True)
    await commit(district_a, member, published=False)
    headers = bearer(organiser(issuer, district_a))

    answer = await client.post(f"{REPORTS}/{month.label}/generate", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"month": month.label, "unitPath": None, "generated": 2}

    listed = await client.get(REPORTS, params={"month": month.label}, headers=headers)
    assert listed.status_code == 200, listed.text
    by_name = {item["name"]: item for item in listed.json()["items"]}
    assert list(by_name) == sorted(["林志红", "陈海燕"])
    mine = by_name["林志红"]
    # points: 2 + 2 (1.5 credit hours rounds half up) for attendance, 15 + 5 for services, 5 for the wish
    figures = {key: mine[key] for key in mine if key not in ("id", "generatedAt", "gridPath")}
    assert figures == {
        "personId": str(member.id),
        "memberId": str(member.member_id),
        "month": month.label,
        "name": "林志红",
        "branchPath": district_a.branch_path,
        "services": 2,
        "wishes": 1,
        "serviceHours": "2.0",
        "sessions": 2,
        "creditHours": "3.5",
        "commitmentsPublished": 3,
        "commitmentsEvaluated": 2,
        "commitmentScore": "85.00",
        "points": 29,
    }
    quiet = by_name["陈海燕"]
    assert (quiet["services"], quiet["sessions"], quiet["points"], quiet["commitmentScore"]) == (0, 0, 0, None)
    assert other.id != member.id

    events = await generated_events(district_a, member)
    assert [(e.report_id, e.person_id, e.member_id, e.month, e.branch_path) for e in events] == [
        (uuid.UUID(mine["id"]), member.id, member.member_id, month.label, district_a.branch_path)
    ]
    assert events[0].tenant_id == district_a.id


async def test_generating_again_replaces_the_figures_of_the_one_report_and_tells_again(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    await with_categories(district_a)
    member = await district_a.add_member()
    month = this_month()
    await attend(settings, district_a, member, "2", month.starts_at + timedelta(hours=1))
    headers = bearer(organiser(issuer, district_a))
    url = f"{REPORTS}/{month.label}/generate"
    assert (await client.post(url, headers=headers)).status_code == 200
    first = await report_rows(district_a, member)
    assert [(r.sessions, r.credit_hours, r.points) for r in first] == [(1, Decimal("2.0"), 2)]

    await attend(settings, district_a, member, "3", month.starts_at + timedelta(hours=2))
    assert (await client.post(url, headers=headers)).json()["generated"] == 1
    again = await report_rows(district_a, member)
    assert [(r.id, r.sessions, r.credit_hours, r.points) for r in again] == [(first[0].id, 2, Decimal("5.0"), 5)]
    assert [e.report_id for e in await generated_events(district_a, member)] == [first[0].id, first[0].id]


async def test_a_bad_or_future_month_is_a_422_naming_it_and_nothing_is_generated(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    member = await district_a.add_member()
    headers = bearer(organiser(issuer, district_a))
    future = this_month().following().label
    for month in ("2026-13", "2026-1", "202611", "november", future):
        answer = await client.post(f"{REPORTS}/{month}/generate", headers=headers)
        assert answer.status_code == 422, (month, answer.text)
        assert [e["field"] for e in answer.json()["errors"]] == ["path.month"], answer.text
    for params, field in (
        ({"month": "2026-00"}, "query.month"),
        ({"unitPath": "not a path"}, "query.unitPath"),
        ({"cursor": "nonsense"}, "query.cursor"),
    ):
        answer = await client.get(REPORTS, params=params, headers=headers)
        assert answer.status_code == 422, answer.text
        assert field in [e["field"] for e in answer.json()["errors"]], answer.text
    assert await report_rows(district_a, member) == []


async def test_another_districts_person_is_a_404_and_members_read_only_their_own(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District, district_b: District
) -> None:
    member = await district_a.add_member("林志红")
    neighbour = await district_a.add_member("陈海燕")
    stranger = await district_b.add_member("王建国")
    month = this_month()
    headers = bearer(organiser(issuer, district_a))
    await client.post(f"{REPORTS}/{month.label}/generate", headers=headers)
    await client.post(f"{REPORTS}/{month.label}/generate", headers=bearer(organiser(issuer, district_b)))

    theirs = await client.get(f"/api/training/people/{stranger.id}/reports/monthly", headers=headers)
    assert theirs.status_code == 404, theirs.text
    ours = await client.get(f"/api/training/people/{member.id}/reports/monthly", headers=headers)
    assert [item["month"] for item in ours.json()["items"]] == [month.label]

    as_member = bearer(attendee(issuer, district_a, member))
    own = await client.get("/api/training/me/reports/monthly", headers=as_member)
    assert own.status_code == 200, own.text
    assert [(item["personId"], item["month"]) for item in own.json()["items"]] == [(str(member.id), month.label)]
    for refused in (
        client.get(f"/api/training/people/{neighbour.id}/reports/monthly", headers=as_member),
        client.get(REPORTS, headers=as_member),
        client.post(f"{REPORTS}/{month.label}/generate", headers=as_member),
    ):
        assert (await refused).status_code == 403


async def test_a_street_organiser_generates_and_reads_only_the_members_under_their_street(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    street = district_a.branch_path.removesuffix("s1/b1/") + "s2/"
    inside = await district_a.add_member("林志红", branch_path=f"{street}b7/")
    outside = await district_a.add_member("陈海燕")
    month = this_month()
    headers = bearer(issuer.token(tenant=district_a.id, roles=["street_admin"], scope=street))

    answer = await client.post(f"{REPORTS}/{month.label}/generate", headers=headers)
    assert answer.json() == {"month": month.label, "unitPath": street, "generated": 1}
    assert (len(await report_rows(district_a, inside)), len(await report_rows(district_a, outside))) == (1, 0)

    everyone = bearer(organiser(issuer, district_a))
    await client.post(f"{REPORTS}/{month.label}/generate", headers=everyone)
    listed = await client.get(REPORTS, params={"month": month.label}, headers=headers)
    assert [item["name"] for item in listed.json()["items"]] == ["林志红"]
    beside = await client.get(
        REPORTS, params={"month": month.label, "unitPath": district_a.branch_path}, headers=headers
    )
    assert beside.status_code == 404, beside.text
    hidden = await client.get(f"/api/training/people/{outside.id}/reports/monthly", headers=headers)
    assert hidden.status_code == 404, hidden.text


async def test_a_month_of_many_members_is_generated_in_batches_with_an_event_each(
    client: Client, issuer: TestIssuer, district_a: District, monkeypatch: Any
) -> None:
    from services.training.reports import generation

    monkeypatch.setattr(generation, "BATCH", 3)
    for index in range(7):
        await district_a.add_member(f"党员{index}")
    month = this_month()
    answer = await client.post(f"{REPORTS}/{month.label}/generate", headers=bearer(organiser(issuer, district_a)))
    assert answer.json()["generated"] == 7

    async def count(session: AsyncSession) -> tuple[int, int]:
        reports = await session.scalar(select(func.count()).select_from(MonthlyReport))
        events = await session.scalar(
            text("SELECT count(*) FROM outbox_message WHERE event = :e"), {"e": MonthlyReportGenerated.NAME}
        )
        return int(reports or 0), int(events or 0)

    assert await district_a.run(count) == (7, 7)
    page = (
        await client.get(
            REPORTS, params={"month": month.label, "limit": 5}, headers=bearer(organiser(issuer, district_a))
        )
    ).json()
    assert (len(page["items"]), page["next"] is not None) == (5, True)
