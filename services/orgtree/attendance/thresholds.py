"""The district's escalation thresholds: absences without approved leave in a month that bring a reminder, a
public criticism, a fine. Until the district sets its own: the seed's 1 / 2 / 3 ("发现干部脱岗1次提醒教育，2次通报
批评，3次罚款" [001/FX]; seed 000 names the leave system but gives no figures)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.attendance.models import AttendanceThresholds
from services.orgtree.attendance.schemas import Thresholds, ThresholdsView
from shared import audit
from shared.http.problems import FieldErrors

DEFAULT = Thresholds(reminder=1, criticism=2, fine=3)
STEPS = ("fine", "criticism", "reminder")  # the highest first


async def thresholds(session: AsyncSession) -> ThresholdsView:
    row = await session.scalar(select(AttendanceThresholds))
    source = row or DEFAULT
    return ThresholdsView(
        reminder=source.reminder, criticism=source.criticism, fine=source.fine, period="month", is_default=row is None
    )


def step_reached(absences: int, limits: ThresholdsView) -> str:
    for step in STEPS:
        if absences >= getattr(limits, step):
            return step
    return "none"


async def replace_thresholds(session: AsyncSession, data: Thresholds) -> ThresholdsView:
    errors = FieldErrors()
    if data.criticism <= data.reminder:
        errors.add("criticism", "more absences than the reminder's")
    if data.fine <= data.criticism:
        errors.add("fine", "more absences than the criticism's")
    errors.raise_if_any("each step needs more absences than the one before")
    row = await session.scalar(select(AttendanceThresholds))
    if row is None:
        row = AttendanceThresholds(reminder=data.reminder, criticism=data.criticism, fine=data.fine)
        session.add(row)
    else:
        row.reminder, row.criticism, row.fine = data.reminder, data.criticism, data.fine
    await session.flush()
    detail = {"reminder": data.reminder, "criticism": data.criticism, "fine": data.fine}
    await audit.record(session, "orgtree.attendance.thresholds_set", subject_type="district", detail=detail)
    return await thresholds(session)


class ThresholdService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self) -> ThresholdsView:
        return await thresholds(self.session)

    async def replace(self, data: Thresholds) -> ThresholdsView:
        return await replace_thresholds(self.session, data)
