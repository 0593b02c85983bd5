"""The member's history in this district, for the district that will take them."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.assessments.models import ScoreSheet
from services.training.people.models import Person
from services.training.points.models import PointsEntry
from services.training.programmes.models import Attendance, TrainingSession
from services.training.ratings.models import RatingEntry, RatingState, StarRating
from shared.contracts.transfers import AssessmentRecord, AttendanceRecord, PointsRecord, TrainingHistory

CHINA = ZoneInfo("Asia/Shanghai")


def china_day(moment: datetime) -> date:
    return moment.astimezone(CHINA).date()


async def member_history(session: AsyncSession, member_id: UUID) -> TrainingHistory:
    person_id = await session.scalar(select(Person.id).where(Person.member_id == member_id))
    if person_id is None:  # never attended anything here
        return TrainingHistory()
    attended = await session.execute(
        select(Attendance, TrainingSession.title)
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .where(Attendance.person_id == person_id)
        .order_by(Attendance.checked_in_at)
    )
    attendance = [
        AttendanceRecord(id=a.id, on=china_day(a.checked_in_at), title=title, credit_hours=a.credit_hours)
        for a, title in attended.all()
    ]
    entries = await session.scalars(
        select(PointsEntry).where(PointsEntry.person_id == person_id).order_by(PointsEntry.occurred_at)
    )
    points = [
        PointsRecord(id=e.id, on=china_day(e.occurred_at), category=e.category, points=e.points, reason=e.reason)
        for e in entries
    ]
    rated = await session.execute(
        select(RatingEntry, StarRating.name, StarRating.published_at)
        .join(StarRating, StarRating.id == RatingEntry.rating_id)
        .where(RatingEntry.person_id == person_id, StarRating.state == RatingState.PUBLISHED)
    )
    assessments = [
        AssessmentRecord(
            id=entry.id,
            on=china_day(published_at or entry.updated_at),
            kind="star_rating",
            title=name,
            result=f"{entry.level}★ {entry.total}",
        )
        for entry, name, published_at in rated.all()
    ]
    sheets = await session.scalars(select(ScoreSheet).where(ScoreSheet.person_id == person_id))
    assessments += [
        AssessmentRecord(
            id=s.id, on=china_day(s.updated_at), kind="assessment", title=f"{s.period} {s.kind}", result=str(s.total)
        )
        for s in sheets
    ]
    return TrainingHistory(attendance=attendance, points=points, assessments=assessments)
