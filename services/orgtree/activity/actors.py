"""Training's attendance, as orgtree needs it for ORG-18: the newest organisational-life check-in per member.
Idempotent beyond the consumer's inbox: the row keeps the latest check-in only, so a copy of an event, or an
older one arriving late, leaves it as it is."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.activity.models import OrgLifeAttendance
from services.orgtree.events import consumer
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.training import AttendanceRecorded
from shared.db.base import uuid7

# Training's programme categories (services/training/programmes/catalogue.py) that are organisational life: the
# three meetings and one lecture, the July 1st assembly. Theory, practice and the rest are training, not the
# branch's own life; the open organisational-life programmes file under theory, practice, quality and
# supervision, and the event names a category, not a programme, so they cannot be told apart and do not count.
ORGANISATIONAL_LIFE = frozenset({"organisational_life"})


@consumer.on(AttendanceRecorded)
async def record_organisational_life(session: AsyncSession, event: AttendanceRecorded) -> None:
    if event.member_id is None or event.category not in ORGANISATIONAL_LIFE:
        return
    row = insert(OrgLifeAttendance).values(
        id=uuid7(),
        tenant_id=require_tenant(),
        member_id=event.member_id,
        attendance_id=event.attendance_id,
        attended_at=event.checked_in_at,
        category=event.category,
        recorded_at=now(),
    )
    newer = {
        "attendance_id": row.excluded.attendance_id,
        "attended_at": row.excluded.attended_at,
        "category": row.excluded.category,
        "recorded_at": row.excluded.recorded_at,
    }
    await session.execute(
        row.on_conflict_do_update(
            constraint="uq_org_life_attendance_member",
            set_=newer,
            where=OrgLifeAttendance.attended_at < row.excluded.attended_at,
        )
    )
