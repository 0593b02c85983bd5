"""The history a member brings from another district, kept as carried over and counted here.

Counted as the seeds imply (a member's yearly credit hours and points follow them, TRN-02, TRN-07): each carried-over
attendance adds its credit hours and one session to the member's totals of its year (``credit_total``, the same row
the below-target list reads), and each carried-over points entry is entered in this district's ledger under its
category (keyed by the source entry, so once). Only newly kept records are counted: a redelivery adds nothing."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.credits.models import CreditTotal
from services.training.points.models import PointsCategory, PointsEntry
from services.training.transfers.export import CHINA
from services.training.transfers.models import CarriedOverRecord
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.transfers import AttendanceRecord, MemberTransferAccepted, PointsRecord
from shared.db.base import uuid7

SOURCE_KIND = "carried_over"
FALLBACK_CATEGORY = "manual"


async def keep(session: AsyncSession, person_id: UUID, event: MemberTransferAccepted) -> None:
    base: dict[str, Any] = {"tenant_id": require_tenant(), "person_id": person_id, "offer_id": event.offer_id}
    base |= {"from_district": event.from_district, "recorded_at": now()}
    base |= {"credit_hours": None, "points": None, "result": None}  # one multi-row INSERT: every row every column
    history = event.history
    rows = [
        {
            **base,
            "kind": "attendance",
            "source_id": a.id,
            "occurred_on": a.on,
            "title": a.title[:200],
            "credit_hours": a.credit_hours,
        }
        for a in history.attendance
    ]
    rows += [
        {
            **base,
            "kind": "points",
            "source_id": p.id,
            "occurred_on": p.on,
            "title": p.reason[:200],
            "points": p.points,
            "result": p.category,
        }
        for p in history.points
    ]
    rows += [
        {**base, "kind": a.kind, "source_id": a.id, "occurred_on": a.on, "title": a.title[:200], "result": a.result}
        for a in history.assessments
    ]
    if not rows:
        return
    kept = await session.scalars(
        insert(CarriedOverRecord)
        .values([{"id": uuid7(), **row} for row in rows])
        .on_conflict_do_nothing(constraint="uq_carried_over_record_source")
        .returning(CarriedOverRecord.source_id)
    )
    new = set(kept)
    await _count_hours(session, person_id, [a for a in history.attendance if a.id in new])
    await _enter_points(session, person_id, event, [p for p in history.points if p.id in new])


async def _count_hours(session: AsyncSession, person_id: UUID, attendance: list[AttendanceRecord]) -> None:
    by_year: dict[int, tuple[Decimal, int]] = defaultdict(lambda: (Decimal(0), 0))
    for record in attendance:
        hours, sessions = by_year[record.on.year]
        by_year[record.on.year] = (hours + record.credit_hours, sessions + 1)
    for year, (hours, sessions) in by_year.items():
        row = {"tenant_id": require_tenant(), "person_id": person_id, "year": year}
        statement = insert(CreditTotal).values(**row, credit_hours=hours, sessions=sessions, classes=0)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=["tenant_id", "person_id", "year"],
                set_={
                    "credit_hours": CreditTotal.credit_hours + statement.excluded.credit_hours,
                    "sessions": CreditTotal.sessions + statement.excluded.sessions,
                },
            )
        )
    if by_year:  # the roll holds the latest year's totals
        await session.execute(
            text("SELECT training_refresh_roll(:tenant, :person, false)"),
            {"tenant": require_tenant(), "person": person_id},
        )


async def _enter_points(
    session: AsyncSession, person_id: UUID, event: MemberTransferAccepted, points: list[PointsRecord]
) -> None:
    if not points:
        return
    known = set(await session.scalars(select(PointsCategory.code)))
    rows = [
        {
            "id": uuid7(),
            "tenant_id": require_tenant(),
            "person_id": person_id,
            "category": p.category if p.category in known else FALLBACK_CATEGORY,
            "points": p.points,
            "reason": f"转入前（{event.from_district}）：{p.reason}"[:200],
            "source_kind": SOURCE_KIND,
            "source_id": p.id,
            "occurred_at": datetime.combine(p.on, time(12), tzinfo=CHINA),
            "recorded_at": func.now(),
        }
        for p in points
    ]
    await session.execute(insert(PointsEntry).values(rows).on_conflict_do_nothing())
