"""What the credit-rule tests share: attendance written as a check-in would leave it (on a past session of a seeded
programme, worth what the session was worth), at a moment in China's time, and the district's rows read back."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.models import Attendance, CheckinMethod, CreditRoll, CreditTotal, Person, Programme
from shared.clock import now
from tests.training.builders import District

CHINA = ZoneInfo("Asia/Shanghai")
THIS_YEAR = now().astimezone(CHINA).year
LAST_YEAR = THIS_YEAR - 1


def on(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=CHINA)


async def attend(
    district: District,
    person: Person,
    at: datetime | None = None,
    *,
    programme: str = "micro_party_lecture",
    hours: str = "2",
    days: str = "0",
) -> Attendance:
    """``person`` attended a session of ``programme`` at ``at`` (default: a minute ago)."""
    at = at or now() - timedelta(minutes=1)
    held = await district.add_session(programme, starts_in=at - now(), hours=hours, training_days=Decimal(days))

    async def add(session: AsyncSession) -> Attendance:
        seeded = await session.get(Programme, held.programme_id)
        assert seeded is not None
        row = Attendance(
            session_id=held.id,
            person_id=person.id,
            method=CheckinMethod.MANUAL,
            reason="补录签到",
            checked_in_at=at,
            credit_hours=Decimal(hours),
            training_days=Decimal(days),
            category=seeded.category,
            counts=list(seeded.counts),
        )
        session.add(row)
        await session.flush()
        return row

    row: Attendance = await district.run(add)
    return row


async def withdraw(district: District, attendance: Attendance) -> None:
    await district.run(lambda s: s.execute(delete(Attendance).where(Attendance.id == attendance.id)))


async def totals(district: District, person: Person) -> dict[int, tuple[Decimal, int, int]]:
    """The person's ``credit_total`` rows: year -> (credit hours, sessions, classes)."""

    async def read(session: AsyncSession) -> dict[int, tuple[Decimal, int, int]]:
        rows = await session.scalars(select(CreditTotal).where(CreditTotal.person_id == person.id))
        return {r.year: (r.credit_hours, r.sessions, r.classes) for r in rows}

    found: dict[int, tuple[Decimal, int, int]] = await district.run(read)
    return found


async def roll(district: District, person: Person) -> CreditRoll:
    """The person's row on the roll the below-target list reads."""

    async def read(session: AsyncSession) -> CreditRoll:
        row = await session.get(CreditRoll, (district.id, person.id))
        assert row is not None
        return row

    found: CreditRoll = await district.run(read)
    return found


async def set_person(district: District, person: Person, **values: Any) -> None:
    async def change(session: AsyncSession) -> None:
        row = await session.get(Person, person.id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)

    await district.run(change)


def rule(standing: dict[str, Any], code: str) -> dict[str, Any]:
    [found] = [r for r in standing["rules"] if r["code"] == code]
    return found


def new_id() -> str:
    return str(uuid.uuid4())
