"""The points ledger (TRN-07): dispatch's completed services and fulfilled wishes and training's attendance each
credit once, however often delivered; credits for someone training does not know yet wait for them; points by
hand need a reason, a known category and a non-zero number, and are audited."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.people import services as people
from services.training.points.sweeps import sweep_pending_credits
from services.training.schedule import JOBS
from shared.contracts.dispatch import ServiceCompleted, WishFulfilled
from shared.contracts.orgtree import MemberCreated
from shared.contracts.tenants import TenantProvisioned
from shared.contracts.training import AttendanceRecorded
from shared.settings import Settings
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, attendee, bearer, organiser
from tests.training.points_support import deliver, entries, pending, with_categories

Client = AsyncTestClient[Any]


def completed(
    district: District, member_id: uuid.UUID | None, *, minutes: int = 90, points: int = 15
) -> ServiceCompleted:
    return ServiceCompleted(
        tenant_id=district.id,
        ticket_id=uuid.uuid4(),
        provider_id=uuid.uuid4(),
        member_id=member_id,
        minutes=minutes,
        points=points,
    )


def attended(district: District, person_id: uuid.UUID, hours: str, at: datetime) -> AttendanceRecorded:
    return AttendanceRecorded(
        tenant_id=district.id,
        attendance_id=uuid.uuid4(),
        session_id=uuid.uuid4(),
        programme_id=district.programmes["micro_party_lecture"],
        person_id=person_id,
        member_id=None,
        user_id=None,
        checked_in_at=at,
        credit_hours=Decimal(hours),
        category="theory",
        counts=[],
        method="qr",
    )


async def test_a_completed_service_credits_its_member_once(settings: Settings, district_a: District) -> None:
    await with_categories(district_a)
    volunteer = await district_a.add_member("林晓红")
    event = completed(district_a, volunteer.member_id)
    assert await deliver(settings, event) == [True, False, True]
    [entry] = await entries(district_a)
    assert (entry.person_id, entry.category, entry.points) == (volunteer.id, "service", 15)
    assert (entry.source_kind, entry.source_id) == ("dispatch.ServiceCompleted", event.ticket_id)
    assert entry.reason == "完成志愿服务工单（服务90分钟）"
    # a team's order names no member: nobody on training's rolls to credit
    await deliver(settings, completed(district_a, None))
    assert len(await entries(district_a)) == 1


async def test_a_fulfilled_wish_credits_its_claimer_once_and_a_units_claim_no_one(
    settings: Settings, district_a: District
) -> None:
    await with_categories(district_a)
    claimer = await district_a.add_member("周海燕")
    wish = WishFulfilled(
        tenant_id=district_a.id,
        wish_id=uuid.uuid4(),
        claimer_kind="person",
        claimer_provider_id=uuid.uuid4(),
        claimer_user_id=claimer.user_id,
        evidence_document_id=None,
    )
    assert await deliver(settings, wish) == [True, False, True]
    unit = WishFulfilled(
        tenant_id=district_a.id,
        wish_id=uuid.uuid4(),
        claimer_kind="unit",
        claimer_provider_id=None,
        claimer_user_id=None,
        evidence_document_id=None,
    )
    await deliver(settings, unit)
    [entry] = await entries(district_a)
    assert (entry.person_id, entry.category, entry.points, entry.source_id) == (claimer.id, "wish", 5, wish.wish_id)


async def test_attendance_credits_a_point_a_credit_hour_once(settings: Settings, district_a: District) -> None:
    # no categories seeded: a district from before the ledger gets the defaults when its first event comes
    person = await district_a.add_member()
    at = datetime(2026, 3, 5, 11, 0, tzinfo=UTC)
    assert await deliver(settings, attended(district_a, person.id, "1.5", at)) == [True, False, True]
    assert await deliver(settings, attended(district_a, person.id, "4", at)) == [True, False, True]
    assert [(e.category, e.points, e.occurred_at) for e in await entries(district_a)] == [
        ("attendance", 2, at),  # 1.5 credit hours, rounded half up
        ("attendance", 4, at),
    ]


async def test_a_credit_for_a_member_not_known_yet_waits_and_is_entered_once_they_arrive(
    settings: Settings, district_a: District
) -> None:
    await with_categories(district_a)
    member, account = uuid.uuid4(), uuid.uuid4()
    event = completed(district_a, member, minutes=60, points=10)
    await deliver(settings, event)  # dispatch's event before orgtree's, and replayed while it waits
    wish = WishFulfilled(
        tenant_id=district_a.id,
        wish_id=uuid.uuid4(),
        claimer_kind="person",
        claimer_provider_id=None,
        claimer_user_id=account,
        evidence_document_id=None,
    )
    await deliver(settings, wish)
    assert await entries(district_a) == []
    assert sorted((p.points, p.member_id, p.user_id) for p in await pending(district_a)) == [
        (5, None, account),
        (10, member, None),
    ]
    await sweep_pending_credits(settings)  # still nobody to credit
    assert await entries(district_a) == []
    assert len(await pending(district_a)) == 2

    arrived = MemberCreated(
        tenant_id=district_a.id,
        member_id=member,
        grid_id=None,
        branch_id=district_a.branch_id,
        classification="self_managed",
        name="陈立新",
        branch_path=district_a.branch_path,
        user_id=account,
    )
    await district_a.run(lambda s: people.member_created(s, arrived))
    await sweep_pending_credits(settings)
    await sweep_pending_credits(settings)  # a second run (or a second scheduler) enters nothing more
    await deliver(settings, event)  # replayed after the person arrived: still the one credit
    assert [(e.points, e.source_id) for e in await entries(district_a)] == [(10, event.ticket_id), (5, wish.wish_id)]
    assert await pending(district_a) == []


async def test_a_new_district_starts_with_the_default_categories(
    client: Client, issuer: TestIssuer, settings: Settings
) -> None:
    import services.training.tenants.actors  # noqa: F401 - registers the provisioning handler

    tenant = uuid.uuid4()
    await deliver(settings, TenantProvisioned(tenant_id=tenant, slug=f"d-{tenant.hex[:8]}", name="新区"))
    answer = await client.get(
        "/api/training/points/categories", headers=bearer(issuer.token(tenant=tenant, roles=["member"]))
    )
    assert [(c["code"], c["name"], c["source"]) for c in answer.json()] == [
        ("attendance", "学习培训", "training.AttendanceRecorded"),
        ("manual", "其他加减分", None),
        ("service", "志愿服务", "dispatch.ServiceCompleted"),
        ("visit", "走访入户", None),
        ("wish", "圆梦微心愿", "dispatch.WishFulfilled"),
    ]


def test_waiting_credits_are_swept_every_few_seconds() -> None:
    assert [job.interval_s for job in JOBS if job.name == "training.points_pending"] == [10.0]


async def test_points_by_hand_need_a_reason_a_category_and_points_and_are_audited(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    await with_categories(district_a)
    person = await district_a.add_member()
    headers = bearer(organiser(issuer, district_a, name="街道组织委员"))
    body = {"personId": str(person.id), "category": "visit", "points": 3, "reason": "走访独居老人"}
    bad = [
        ({"points": 0}, "body.points"),
        ({"points": 1001}, "body.points"),
        ({"points": -1001}, "body.points"),
        ({"points": "5"}, "body.points"),
        ({"points": 2.5}, "body.points"),
        ({"category": "charity"}, "body.category"),
        ({"reason": "  "}, "body.reason"),
        ({"reason": ""}, "body.reason"),
    ]
    for change, field in bad:
        answer = await client.post("/api/training/points", json={**body, **change}, headers=headers)
        assert answer.status_code == 422, (change, answer.text)
        assert field in [e["field"] for e in answer.json()["errors"]], answer.text
    without_reason = {k: v for k, v in body.items() if k != "reason"}
    answer = await client.post("/api/training/points", json=without_reason, headers=headers)
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "body.reason")
    assert await entries(district_a) == []

    answer = await client.post("/api/training/points", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    entry = answer.json()
    assert (entry["points"], entry["category"], entry["sourceKind"], entry["recordedByName"]) == (
        3,
        "visit",
        "manual",
        "街道组织委员",
    )
    correction = {**body, "category": "manual", "points": -1, "reason": "重复登记，扣回"}
    assert (await client.post("/api/training/points", json=correction, headers=headers)).status_code == 201
    statement = await client.get(f"/api/training/people/{person.id}/points", headers=headers)
    assert statement.json()["total"] == 2

    async def audited(session: AsyncSession) -> list[Any]:
        rows = await session.execute(
            text("SELECT subject_id, detail FROM audit_event WHERE action = 'training.points.entered' ORDER BY id")
        )
        return [(row.subject_id, row.detail["points"]) for row in rows]

    assert await district_a.run(audited) == [(str(person.id), 3), (str(person.id), -1)]
    # a member may not enter points, nor an organiser for themself
    mine = await client.post("/api/training/points", json=body, headers=bearer(attendee(issuer, district_a, person)))
    assert mine.status_code == 403
    myself = bearer(organiser(issuer, district_a, user_id=person.user_id))
    assert (await client.post("/api/training/points", json=body, headers=myself)).status_code == 403
    assert len(await entries(district_a)) == 2


async def test_another_districts_person_is_a_404_and_gets_nothing(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    await with_categories(district_a)
    await with_categories(district_b)
    person = await district_a.add_member()
    headers_b = bearer(organiser(issuer, district_b))
    body = {"personId": str(person.id), "category": "visit", "points": 3, "reason": "走访"}
    assert (await client.post("/api/training/points", json=body, headers=headers_b)).status_code == 404
    assert (await client.get(f"/api/training/people/{person.id}/points", headers=headers_b)).status_code == 404
    assert await entries(district_a) == []
    assert await entries(district_b) == []
