"""A member's training history between districts (GW-03): the sending district exports what it holds of the member
when orgtree offers them; the receiving district keeps it as carried over once accepted (read-only), counts it in the
member's totals (credit hours per year, the points ledger), once however often the event comes, and shows it to its
readers only."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

import services.training.transfers.actors  # noqa: F401 - register the handlers on the consumer
from services.training.models import Person, PointsEntry
from services.training.transfers.models import CarriedOverRecord
from shared.clock import now
from shared.contracts.transfers import (
    AssessmentRecord,
    AttendanceRecord,
    MemberTransferAccepted,
    MemberTransferOffered,
    PointsRecord,
    TrainingHistory,
    TransferredMember,
)
from shared.settings import Settings
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser
from tests.training.credits_support import attend, on, roll, totals
from tests.training.points_support import deliver, entries, with_categories

MEMBER = TransferredMember(name="周明远", classification="self_managed")
API = "/api/training/transfers/carried-over"


def _history() -> TrainingHistory:
    return TrainingHistory(
        attendance=[
            AttendanceRecord(id=uuid.uuid4(), on=date(2026, 3, 5), title="党章学习", credit_hours=Decimal("2.0")),
            AttendanceRecord(id=uuid.uuid4(), on=date(2026, 6, 1), title="微党课", credit_hours=Decimal("1.5")),
            AttendanceRecord(id=uuid.uuid4(), on=date(2025, 9, 9), title="专题党课", credit_hours=Decimal("4.0")),
        ],
        points=[
            PointsRecord(id=uuid.uuid4(), on=date(2026, 4, 2), category="visit", points=3, reason="走访入户"),
            PointsRecord(id=uuid.uuid4(), on=date(2026, 5, 2), category="龙湾特色", points=5, reason="志愿值守"),
        ],
        assessments=[
            AssessmentRecord(
                id=uuid.uuid4(), on=date(2025, 12, 30), kind="star_rating", title="2025年度评星", result="4★ 88.00"
            )
        ],
    )


def _accepted(district: District, history: TrainingHistory) -> MemberTransferAccepted:
    return MemberTransferAccepted(
        tenant_id=district.id,
        offer_id=uuid.uuid4(),
        member_id=uuid.uuid4(),
        branch_id=district.branch_id,
        from_tenant_id=uuid.uuid4(),
        from_district="龙湾区",
        reason="随子女迁居",
        transfer_on=date(2026, 12, 1),
        member=MEMBER,
        history=history,
    )


async def _exported(district: District) -> list[dict[str, Any]]:
    async def read(session: AsyncSession) -> list[dict[str, Any]]:
        rows = await session.execute(
            text("SELECT payload FROM outbox_message WHERE event = 'training.TransferHistoryExported' ORDER BY seq")
        )
        return [dict(row[0]) for row in rows]

    found: list[dict[str, Any]] = await district.run(read)
    return found


async def test_the_sending_district_exports_what_it_holds_of_the_member(
    district_a: District, settings: Settings
) -> None:
    await with_categories(district_a)
    person = await district_a.add_member("周明远")
    attended = await attend(district_a, person, on(2026, 5, 4), hours="2")

    async def credit(session: AsyncSession) -> None:
        entry = PointsEntry(
            person_id=person.id,
            category="visit",
            points=3,
            reason="走访入户",
            source_kind="manual",
            source_id=uuid.uuid4(),
            occurred_at=on(2026, 5, 6),
            recorded_at=now(),
        )
        session.add(entry)

    await district_a.run(credit)
    assert person.member_id is not None
    offered = MemberTransferOffered(
        tenant_id=district_a.id,
        offer_id=uuid.uuid4(),
        member_id=person.member_id,
        to_tenant_id=uuid.uuid4(),
        reason="随子女迁居",
        transfer_on=date(2026, 12, 1),
        member=MEMBER,
    )
    assert (await deliver(settings, offered))[:2] == [True, False]
    history = (await _exported(district_a))[0]["history"]
    assert [(a["id"], a["on"], a["credit_hours"]) for a in history["attendance"]] == [
        (str(attended.id), "2026-05-04", "2.0")
    ]
    assert [(p["category"], p["points"], p["on"]) for p in history["points"]] == [("visit", 3, "2026-05-06")]

    nobody = msgspec.structs.replace(offered, offer_id=uuid.uuid4(), member_id=uuid.uuid4())
    await deliver(settings, nobody)
    last = (await _exported(district_a))[-1]
    assert (last["member_id"], last["history"]) == (
        str(nobody.member_id),
        {"attendance": [], "points": [], "assessments": []},
    )


async def test_the_receiving_district_keeps_the_history_once_and_counts_it(
    district_b: District, settings: Settings
) -> None:
    await with_categories(district_b)
    accepted = _accepted(district_b, _history())
    assert await deliver(settings, accepted) == [True, False, True]

    async def person_of(session: AsyncSession) -> Person:
        found = await session.scalar(select(Person).where(Person.member_id == accepted.member_id))
        assert found is not None
        return found

    person = await district_b.run(person_of)
    assert (person.name, person.branch_id) == ("周明远", district_b.branch_id)

    async def kept(session: AsyncSession) -> list[tuple[str, str]]:
        rows = await session.scalars(select(CarriedOverRecord).where(CarriedOverRecord.person_id == person.id))
        return sorted((r.kind, r.from_district) for r in rows)

    assert await district_b.run(kept) == [
        ("attendance", "龙湾区"),
        ("attendance", "龙湾区"),
        ("attendance", "龙湾区"),
        ("points", "龙湾区"),
        ("points", "龙湾区"),
        ("star_rating", "龙湾区"),
    ]
    # counted: each year's credit hours and sessions, the roll's latest year, the ledger (an unknown category by hand)
    assert await totals(district_b, person) == {2026: (Decimal("3.5"), 2, 0), 2025: (Decimal("4.0"), 1, 0)}
    assert ((await roll(district_b, person)).year, (await roll(district_b, person)).credit_hours) == (
        2026,
        Decimal("3.5"),
    )
    ledger = [(e.category, e.points, e.source_kind) for e in await entries(district_b) if e.person_id == person.id]
    assert sorted(ledger) == [("manual", 5, "carried_over"), ("visit", 3, "carried_over")]

    async def change(session: AsyncSession) -> None:
        await session.execute(text("UPDATE carried_over_record SET title = 'x'"))

    with pytest.raises(DBAPIError, match="append-only"):
        await district_b.run(change)


async def test_the_carried_over_history_is_read_by_the_district_only(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District, settings: Settings
) -> None:
    await with_categories(district_b)
    accepted = _accepted(district_b, _history())
    await deliver(settings, accepted)
    admin = bearer(organiser(issuer, district_b))
    shown = (await client.get(API, params={"memberId": str(accepted.member_id)}, headers=admin)).json()
    assert (shown["creditHours"], shown["points"], len(shown["records"])) == ("7.5", 8, 6)
    assert shown["records"][0]["occurredOn"] == "2025-09-09"

    other = bearer(organiser(issuer, district_a))
    assert (await client.get(API, params={"memberId": str(accepted.member_id)}, headers=other)).status_code == 404
    unknown = await client.get(API, params={"memberId": str(uuid.uuid4())}, headers=admin)
    assert unknown.status_code == 404
    bad = await client.get(API, params={"memberId": "x"}, headers=admin)
    assert bad.status_code == 422, bad.text
    assert bad.json()["errors"][0]["field"] == "query.memberId"
    member = bearer(issuer.token(tenant=district_b.id, roles=["member"], user_id=uuid.uuid4()))
    assert (await client.get(API, params={"memberId": str(accepted.member_id)}, headers=member)).status_code == 403
