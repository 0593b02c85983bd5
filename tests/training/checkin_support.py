"""What the check-in tests share: codes as the organiser's screen would have shown them at another moment, and
the rows a check-in leaves (attendance, outbox, audit), read back from the district's database."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.checkin import codes
from services.training.models import Attendance, Person, PersonKind, TrainingSession
from services.training.settings import get_training_settings
from shared.clock import now
from shared.settings import get_settings
from tests.training.builders import District

STEP_S = get_training_settings().checkin_code_step_s


async def early_in_a_step() -> None:
    """Wait, if the screen is about to change, until it has: a code from the step before (a scan in flight) then
    stays acceptable for the whole request, however the request and the step boundary fall."""
    left = STEP_S - time.time() % STEP_S
    if left < 1.0:
        await asyncio.sleep(left + 0.05)


def code_shown(district: District, session_id: uuid.UUID, *, ago: timedelta = timedelta(0)) -> str:
    """The code the session's screen showed ``ago`` (signed with the service's own key, as it would have been)."""
    key = codes.code_key(get_settings().master_key_bytes())
    return codes.issue(key, district.id, session_id, codes.step_at(now() - ago, STEP_S))


async def attendance_rows(district: District, session_id: uuid.UUID) -> list[Attendance]:
    async def read(session: AsyncSession) -> list[Attendance]:
        return list(await session.scalars(select(Attendance).where(Attendance.session_id == session_id)))

    rows: list[Attendance] = await district.run(read)
    return rows


async def events(district: District, event: str, session_id: uuid.UUID) -> list[dict[str, Any]]:
    """Payloads of one event type about one session in the district's outbox, oldest first."""

    async def read(session: AsyncSession) -> list[dict[str, Any]]:
        rows = await session.execute(
            text("SELECT payload FROM outbox_message WHERE event = :e AND payload->>'session_id' = :s ORDER BY seq"),
            {"e": event, "s": str(session_id)},
        )
        return [dict(row[0]) for row in rows]

    found: list[dict[str, Any]] = await district.run(read)
    return found


async def audited(district: District, attendance_id: object) -> list[dict[str, Any]]:
    async def read(session: AsyncSession) -> list[dict[str, Any]]:
        rows = await session.execute(
            text(
                "SELECT actor_id, action, purpose, detail FROM audit_event "
                "WHERE subject_type = 'attendance' AND subject_id = :a ORDER BY id"
            ),
            {"a": str(attendance_id)},
        )
        return [dict(row._mapping) for row in rows]

    found: list[dict[str, Any]] = await district.run(read)
    return found


async def audit_count(district: District) -> int:
    async def read(session: AsyncSession) -> int:
        return int(await session.scalar(text("SELECT count(*) FROM audit_event")) or 0)

    counted: int = await district.run(read)
    return counted


async def add_resident(district: District, name: str = "陈阿婆") -> Person:
    """A resident who attends without being a member (entered by an organiser; no account)."""

    async def add(session: AsyncSession) -> Person:
        person = Person(kind=PersonKind.RESIDENT, name=name)
        session.add(person)
        await session.flush()
        return person

    person: Person = await district.run(add)
    return person


async def alter_session(district: District, session_id: uuid.UUID, **columns: Any) -> None:
    """Move a session's check-in window or cancel it in the database (the clock stays as it is)."""

    async def move(session: AsyncSession) -> None:
        await session.execute(update(TrainingSession).where(TrainingSession.id == session_id).values(**columns))

    await district.run(move)


async def count_attendance(district: District) -> int:
    async def read(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(Attendance)) or 0)

    counted: int = await district.run(read)
    return counted
