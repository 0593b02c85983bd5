"""Recording one attendance, once: the row, and its events in the same transaction.

The unique constraint on (tenant, session, person) decides who was first. ``INSERT ... ON CONFLICT DO NOTHING``
waits for a concurrent insert of the same person to commit and then inserts nothing, so twenty scans racing
each other leave one row and one ``AttendanceRecorded``; the others read the row that won.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.people.models import Person
from services.training.programmes.models import Attendance, CheckinMethod, Counts, Programme, TrainingSession
from services.training.xapi.statements import record_attendance
from shared.auth.principal import Principal
from shared.context import require_tenant
from shared.contracts.training import AttendanceRecorded, PreServiceTrainingCompleted
from shared.db.base import uuid7
from shared.messaging import outbox


@dataclass(frozen=True, slots=True)
class Sitting:
    """A session with its programme (whose counts are copied onto each attendance)."""

    session: TrainingSession
    programme: Programme


async def record(
    db: AsyncSession,
    sitting: Sitting,
    person: Person,
    *,
    method: CheckinMethod,
    at: datetime,
    by: Principal,
    reason: str | None = None,
) -> tuple[Attendance, bool]:
    """The person's attendance at the session, and whether it is new (False: they were already checked in)."""
    session = sitting.session
    statement = (
        pg_insert(Attendance)
        .values(
            tenant_id=require_tenant(),
            id=uuid7(),
            session_id=session.id,
            person_id=person.id,
            method=method,
            reason=reason,
            checked_in_at=at,
            recorded_by=by.user_id,
            recorded_by_name=by.name,
            credit_hours=session.credit_hours,
            training_days=session.training_days,
            category=session.category,
            counts=list(sitting.programme.counts),
        )
        .on_conflict_do_nothing(constraint="uq_attendance_tenant_session_person")
        .returning(Attendance)
    )
    added: Attendance | None = await db.scalar(statement)
    if added is None:
        existing = select(Attendance).where(Attendance.session_id == session.id, Attendance.person_id == person.id)
        return (await db.scalars(existing)).one(), False
    await _publish(db, sitting, person, added)
    await record_attendance(db, session, sitting.programme, added)  # xAPI statements, same transaction (issue 13)
    return added, True


async def _publish(db: AsyncSession, sitting: Sitting, person: Person, attendance: Attendance) -> None:
    tenant = require_tenant()
    await outbox.publish(
        db,
        AttendanceRecorded(
            tenant_id=tenant,
            attendance_id=attendance.id,
            session_id=attendance.session_id,
            programme_id=sitting.session.programme_id,
            person_id=person.id,
            member_id=person.member_id,
            user_id=person.user_id,
            checked_in_at=attendance.checked_in_at,
            credit_hours=attendance.credit_hours,
            category=attendance.category,
            counts=list(attendance.counts),
            method=attendance.method,
        ),
    )
    if Counts.PRE_SERVICE in attendance.counts:  # EVT-14: dispatch may offer this volunteer tickets from now on
        await outbox.publish(
            db,
            PreServiceTrainingCompleted(
                tenant_id=tenant,
                person_id=person.id,
                member_id=person.member_id,
                user_id=person.user_id,
                completed_at=attendance.checked_in_at,
                session_id=attendance.session_id,
            ),
        )
