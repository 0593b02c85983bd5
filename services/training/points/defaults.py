"""The points categories every district starts with (TRN-07) and how each is credited; the district's numbers
afterwards. Seeding again adds only the missing categories."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.points.models import PointsCategory, Rule
from shared.context import require_tenant
from shared.contracts.dispatch import ServiceCompleted, WishFulfilled
from shared.contracts.training import AttendanceRecorded

SERVICE, WISH, ATTENDANCE = "service", "wish", "attendance"

# code, name, crediting event, rule, points
CATEGORIES: tuple[tuple[str, str, str | None, Rule, int], ...] = (
    (SERVICE, "志愿服务", ServiceCompleted.NAME, Rule.FROM_EVENT, 0),  # dispatch's 10 points an hour of service
    (WISH, "圆梦微心愿", WishFulfilled.NAME, Rule.FIXED, 5),
    (ATTENDANCE, "学习培训", AttendanceRecorded.NAME, Rule.PER_HOUR, 1),  # one point a credit hour
    ("visit", "走访入户", None, Rule.MANUAL, 0),
    ("manual", "其他加减分", None, Rule.MANUAL, 0),
)


async def seed_points_categories(session: AsyncSession) -> bool:
    """Insert the missing default categories; True when any was added."""
    rows = [
        {"tenant_id": require_tenant(), "code": code, "name": name, "source": source, "rule": rule, "points": points}
        for code, name, source, rule, points in CATEGORIES
    ]
    added = await session.execute(
        pg_insert(PointsCategory).values(rows).on_conflict_do_nothing().returning(PointsCategory.id)
    )
    return bool(added.all())
