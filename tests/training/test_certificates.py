"""Mobile members' certificate reviews (TRN-04, EVT-15): a certificate opens when a member is flagged mobile (due at
the year's end) or is registered by hand; the warning within the district's warning days and the overdue review
are each told once (CertificateReviewDue) by the scheduler's sweep of deadline rows; an overdue review opens a
task that the review closes; a review sets the next due date a year on; the year's review rate per unit."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.care.calendar import a_year_on, today
from services.training.care.sweeps import fire_review_deadlines, open_flagged_certificates
from services.training.models import CertificateDeadline, MobileCertificate, Person, PersonKind
from services.training.schedule import JOBS
from shared.settings import Settings
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser

Client = AsyncTestClient[Any]
CERTIFICATES = "/api/training/certificates"


async def held(district: District) -> list[MobileCertificate]:
    async def read(session: AsyncSession) -> list[MobileCertificate]:
        return list(await session.scalars(select(MobileCertificate).order_by(MobileCertificate.id)))

    found: list[MobileCertificate] = await district.run(read)
    return found


async def move_due(district: District, certificate_id: object, due_on: date) -> None:
    """The review's due date (and its unfired deadlines) moved in the database, as time passing would."""

    async def move(session: AsyncSession) -> None:
        await session.execute(
            update(MobileCertificate).where(MobileCertificate.id == certificate_id).values(review_due_on=due_on)
        )
        await session.execute(
            update(CertificateDeadline)
            .where(CertificateDeadline.certificate_id == certificate_id, CertificateDeadline.fired_at.is_(None))
            .values(due_on=due_on)
        )

    await district.run(move)


async def told(district: District, certificate_id: object) -> list[tuple[str, bool]]:
    """The CertificateReviewDue events in the district's outbox for the certificate: (due date, overdue)."""

    async def read(session: AsyncSession) -> list[tuple[str, bool]]:
        rows = await session.execute(
            text(
                "SELECT payload FROM outbox_message WHERE event = 'training.CertificateReviewDue' "
                "AND payload->>'certificate_id' = :c ORDER BY seq"
            ),
            {"c": str(certificate_id)},
        )
        return [(row[0]["due_on"], row[0]["overdue"]) for row in rows]

    found: list[tuple[str, bool]] = await district.run(read)
    return found


async def register(client: Client, headers: dict[str, str], person_id: object, **fields: Any) -> Any:
    body = {"personId": str(person_id), "number": "LD-2026-001", "issuedOn": "2026-03-01", "reviewDueOn": "2026-12-31"}
    return await client.post(CERTIFICATES, json=body | fields, headers=headers)


async def test_a_member_flagged_mobile_gets_a_certificate_due_at_the_years_end_once(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    mobile = await district_a.add_member("陈流动", flags=["mobile", "activist"])
    await district_a.add_member("王在家")
    assert {job.name for job in JOBS} >= {"training.care_certificates", "training.care_deadlines"}
    await open_flagged_certificates(settings)
    await open_flagged_certificates(settings)
    [certificate] = await held(district_a)
    assert (certificate.person_id, certificate.review_due_on) == (mobile.id, date(today().year, 12, 31))
    assert (certificate.state, certificate.origin, certificate.number) == ("active", "flag", None)
    listed = await client.get(CERTIFICATES, headers=bearer(organiser(issuer, district_a)))
    assert listed.status_code == 200, listed.text
    [item] = listed.json()["items"]
    assert (item["personName"], item["number"], item["state"]) == ("陈流动", None, "active")


async def test_an_organiser_registers_a_certificate_or_completes_the_flagged_one(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    admin = bearer(organiser(issuer, district_a))
    away = await district_a.add_member("李外出")
    answer = await register(client, admin, away.id)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["number"], body["reviewDueOn"], body["origin"], body["state"]) == (
        "LD-2026-001",
        "2026-12-31",
        "hand",
        "active",
    )
    again = await register(client, admin, away.id, number="LD-2026-009")
    assert again.status_code == 409, again.text
    flagged = await district_a.add_member("赵务工", flags=["mobile"])
    await open_flagged_certificates(settings)
    taken = await register(client, admin, flagged.id)  # another member's number
    assert taken.status_code == 409, taken.text
    completed = await register(client, admin, flagged.id, number="LD-2026-002", reviewDueOn="2027-03-01")
    assert completed.status_code == 200, completed.text
    assert (completed.json()["origin"], completed.json()["number"]) == ("flag", "LD-2026-002")
    assert sorted((c.number or "", c.review_due_on.isoformat()) for c in await held(district_a)) == [
        ("LD-2026-001", "2026-12-31"),
        ("LD-2026-002", "2027-03-01"),
    ]


async def test_bad_input_is_a_422_naming_the_field_and_nothing_is_stored(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = bearer(organiser(issuer, district_a))
    member = await district_a.add_member()
    tomorrow = (today() + timedelta(days=1)).isoformat()
    for fields, field in (
        ({"issuedOn": tomorrow}, "body.issuedOn"),
        ({"reviewDueOn": "2026-02-01"}, "body.reviewDueOn"),
        ({"reviewDueOn": "2026-13-01"}, "body.reviewDueOn"),
        ({"number": " "}, "body.number"),
        ({"personId": "someone"}, "body.personId"),
        ({"issuedOn": 20260301}, "body.issuedOn"),
        ({"colour": "red"}, "body.colour"),
    ):
        answer = await register(client, admin, member.id, **fields)
        assert answer.status_code == 422, (fields, answer.text)
        assert [e["field"] for e in answer.json()["errors"]] == [field], answer.text

    async def add_resident(session: AsyncSession) -> uuid.UUID:
        resident = Person(kind=PersonKind.RESIDENT, name="居民甲", flags=[], duties=[])
        session.add(resident)
        await session.flush()
        return resident.id

    resident = await district_a.run(add_resident)
    answer = await register(client, admin, resident)
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "body.personId")
    for body, field in (
        ({"reviewWarningDays": "30"}, "body.reviewWarningDays"),
        ({"reviewWarningDays": 0}, "body.reviewWarningDays"),
    ):
        refused = await client.put(f"{CERTIFICATES}/settings", json=body, headers=admin)
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == field
    assert await held(district_a) == []
    settings = await client.get(f"{CERTIFICATES}/settings", headers=admin)
    assert settings.json() == {"reviewWarningDays": 30}

    created = (await register(client, admin, member.id)).json()
    for review, field in (
        ({"outcome": "maybe", "reviewedOn": "2026-06-01"}, "body.outcome"),
        ({"outcome": "pass", "reviewedOn": tomorrow}, "body.reviewedOn"),
        ({"outcome": "pass", "reviewedOn": "2026-02-01"}, "body.reviewedOn"),  # before it was issued
        ({"outcome": "pass"}, "body.reviewedOn"),
        ({"outcome": "pass", "reviewedOn": "2026-06-01", "note": 5}, "body.note"),
    ):
        answer = await client.post(f"{CERTIFICATES}/{created['id']}/reviews", json=review, headers=admin)
        assert answer.status_code == 422, (review, answer.text)
        assert answer.json()["errors"][0]["field"] == field, answer.text
    detail = (await client.get(f"{CERTIFICATES}/{created['id']}", headers=admin)).json()
    assert (detail["reviews"], detail["certificate"]["reviewDueOn"]) == ([], "2026-12-31")
    for path in (CERTIFICATES, "/api/training/tasks"):
        bad_state = await client.get(path, params={"state": "lost"}, headers=admin)
        assert (bad_state.status_code, bad_state.json()["errors"][0]["field"]) == (422, "query.state")
    bad_year = await client.get(f"{CERTIFICATES}/summary", params={"year": "last"}, headers=admin)
    assert (bad_year.status_code, bad_year.json()["errors"][0]["field"]) == (422, "query.year")


async def test_the_warning_is_told_once_within_the_districts_warning_days(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    admin = bearer(organiser(issuer, district_a))
    member = await district_a.add_member("孙流动", flags=["mobile"])
    await open_flagged_certificates(settings)
    [certificate] = await held(district_a)
    far = today() + timedelta(days=40)
    await move_due(district_a, certificate.id, far)
    await fire_review_deadlines(settings)
    assert await told(district_a, certificate.id) == []  # 40 days ahead, 30 days' warning
    changed = await client.put(f"{CERTIFICATES}/settings", json={"reviewWarningDays": 45}, headers=admin)
    assert changed.status_code == 200, changed.text
    await fire_review_deadlines(settings)
    await fire_review_deadlines(settings)
    assert await told(district_a, certificate.id) == [(far.isoformat(), False)]
    [certificate] = await held(district_a)
    assert certificate.state == "review_due"
    events = await district_a.run(
        lambda s: s.execute(
            text("SELECT payload FROM outbox_message WHERE payload->>'certificate_id' = :c"), {"c": str(certificate.id)}
        )
    )
    [payload] = [row[0] for row in events]
    assert (payload["person_id"], payload["member_id"]) == (str(member.id), str(member.member_id))
    tasks = await client.get("/api/training/tasks", headers=admin)
    assert tasks.json()["items"] == []  # not overdue: nothing to chase yet


async def test_an_overdue_review_opens_a_task_that_the_review_closes_and_the_next_is_due_a_year_on(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    admin = bearer(issuer.token(tenant=district_a.id, roles=["district_admin"], name="审核人"))
    await district_a.add_member("周流动", flags=["mobile"])
    await open_flagged_certificates(settings)
    [certificate] = await held(district_a)
    due = today() - timedelta(days=3)
    await move_due(district_a, certificate.id, due)
    await fire_review_deadlines(settings)
    await fire_review_deadlines(settings)
    # the warning and the overdue review, each once
    assert await told(district_a, certificate.id) == [(due.isoformat(), False), (due.isoformat(), True)]
    [certificate] = await held(district_a)
    assert certificate.state == "overdue"
    opened = await client.get("/api/training/tasks", params={"state": "open"}, headers=admin)
    [task] = opened.json()["items"]
    assert (task["certificateId"], task["personName"], task["dueOn"]) == (
        str(certificate.id),
        "周流动",
        due.isoformat(),
    )

    reviewed = await client.post(
        f"{CERTIFICATES}/{certificate.id}/reviews",
        json={"outcome": "pass", "reviewedOn": today().isoformat(), "note": "按时参加组织生活"},
        headers=admin,
    )
    assert reviewed.status_code == 201, reviewed.text
    body = reviewed.json()
    assert (body["review"]["dueOn"], body["review"]["reviewerName"], body["review"]["outcome"]) == (
        due.isoformat(),
        "审核人",
        "pass",
    )
    assert (body["certificate"]["state"], body["certificate"]["reviewDueOn"]) == (
        "reviewed_pass",
        a_year_on(due).isoformat(),
    )
    assert (await client.get("/api/training/tasks", params={"state": "open"}, headers=admin)).json()["items"] == []
    [closed] = (await client.get("/api/training/tasks", params={"state": "closed"}, headers=admin)).json()["items"]
    assert closed["id"] == task["id"]
    await fire_review_deadlines(settings)  # the next due date is a year away: nothing more is told
    assert len(await told(district_a, certificate.id)) == 2
    early = await client.post(
        f"{CERTIFICATES}/{certificate.id}/reviews",
        json={"outcome": "fail", "reviewedOn": today().isoformat()},
        headers=admin,
    )
    assert early.status_code == 409, early.text  # this year's review is on record
    detail = (await client.get(f"{CERTIFICATES}/{certificate.id}", headers=admin)).json()
    assert [r["outcome"] for r in detail["reviews"]] == ["pass"]


async def test_the_years_review_rate_per_unit(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    admin = bearer(organiser(issuer, district_a))
    year = today().year
    other_branch = district_a.branch_path.replace("/b1/", "/b2/")
    for name, path in (("甲", None), ("乙", None), ("丙", other_branch)):
        await district_a.add_member(name, flags=["mobile"], branch_path=path)
    await open_flagged_certificates(settings)
    first, *_ = await held(district_a)
    done = await client.post(
        f"{CERTIFICATES}/{first.id}/reviews", json={"outcome": "fail", "reviewedOn": today().isoformat()}, headers=admin
    )
    assert done.status_code == 201, done.text

    async def summary(**params: Any) -> dict[str, Any]:
        answer = await client.get(f"{CERTIFICATES}/summary", params=params, headers=admin)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    whole = await summary(year=year)
    assert (whole["due"], whole["reviewed"], whole["rate"], whole["reference"]) == (3, 1, round(1 / 3, 4), 1.0)
    twice = await client.post(
        f"{CERTIFICATES}/{first.id}/reviews", json={"outcome": "pass", "reviewedOn": today().isoformat()}, headers=admin
    )
    assert twice.status_code == 409, twice.text  # this year's review is on record: the next is due next year
    branch = await summary(year=year, unitPath=district_a.branch_path)
    other = await summary(year=year, unitPath=other_branch)
    assert (branch["due"], other["due"]) == (2, 1)
    assert (await summary(year=year + 1))["due"] == 1  # the reviewed one falls due again next year
    assert (await summary(year=year - 5))["rate"] is None


async def test_another_districts_certificate_is_a_404_and_readers_see_their_scope(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District, district_b: District
) -> None:
    admin_a = bearer(organiser(issuer, district_a))
    admin_b = bearer(organiser(issuer, district_b))
    member = await district_a.add_member("吴流动")
    created = (await register(client, admin_a, member.id)).json()
    review = {"outcome": "pass", "reviewedOn": today().isoformat()}
    assert (await client.get(f"{CERTIFICATES}/{created['id']}", headers=admin_b)).status_code == 404
    refused = await client.post(f"{CERTIFICATES}/{created['id']}/reviews", json=review, headers=admin_b)
    assert refused.status_code == 404
    assert (await register(client, admin_b, member.id, number="B-1")).status_code == 404
    assert (await client.get(CERTIFICATES, headers=admin_b)).json()["items"] == []
    elsewhere = district_a.branch_path.replace("/s1/", "/s2/")
    street = bearer(issuer.token(tenant=district_a.id, roles=["street_admin"], scope=elsewhere))
    assert (await client.get(f"{CERTIFICATES}/{created['id']}", headers=street)).status_code == 404
    assert (
        await client.post(f"{CERTIFICATES}/{created['id']}/reviews", json=review, headers=street)
    ).status_code == 404
    assert (await client.get(CERTIFICATES, headers=street)).json()["items"] == []
    assert (await client.get(f"{CERTIFICATES}/summary", headers=street)).json()["due"] == 0
    grid = bearer(issuer.token(tenant=district_a.id, roles=["grid_leader"]))
    assert (await client.get(f"{CERTIFICATES}/{created['id']}", headers=grid)).status_code == 200
    assert (await client.post(f"{CERTIFICATES}/{created['id']}/reviews", json=review, headers=grid)).status_code == 403
    member_token = bearer(issuer.token(tenant=district_a.id, roles=["member"]))
    assert (await client.get(CERTIFICATES, headers=member_token)).status_code == 403
    [certificate] = await held(district_a)
    assert certificate.last_reviewed_on is None


async def test_a_member_off_the_rolls_is_not_chased(settings: Settings, district_a: District) -> None:
    leaver = await district_a.add_member("郑离开", flags=["mobile"])
    await open_flagged_certificates(settings)
    [certificate] = await held(district_a)
    await move_due(district_a, certificate.id, today() - timedelta(days=1))

    async def leave(session: AsyncSession) -> None:
        await session.execute(update(Person).where(Person.id == leaver.id).values(active=False))

    await district_a.run(leave)
    await fire_review_deadlines(settings)
    assert await told(district_a, certificate.id) == []
