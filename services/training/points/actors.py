"""The ledger's event handlers (TRN-07): dispatch's completed services (EVT-06) and fulfilled micro-wishes
(EVT-09), and training's own attendance (EVT-19). Each credits its source once (``ledger.py``)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.events import consumer
from services.training.points.ledger import Credit, credit_person, enter, rule_for
from services.training.programmes.models import TrainingSession
from shared.clock import now
from shared.contracts.dispatch import ServiceCompleted, WishFulfilled
from shared.contracts.training import AttendanceRecorded
from shared.logging import get_logger

log = get_logger(__name__)


@consumer.on(ServiceCompleted)
async def service_completed(session: AsyncSession, event: ServiceCompleted) -> None:
    """A member volunteer's order: one credit per order (a reopened order's second completion is the same
    service; dispatch's time bank settles its points). Teams, studios and firms are not on training's rolls."""
    if event.member_id is None:
        return
    category = await rule_for(session, ServiceCompleted.NAME)
    if category is None:
        return
    points = category.worth(stated=event.points, hours=Decimal(event.minutes) / 60)
    reason = f"完成志愿服务工单（服务{event.minutes}分钟）"
    credit = Credit(category.code, points, reason, ServiceCompleted.NAME, event.ticket_id, now())
    await credit_person(session, credit, member_id=event.member_id)


@consumer.on(WishFulfilled)
async def wish_fulfilled(session: AsyncSession, event: WishFulfilled) -> None:
    """The person who claimed the wish, by their account (a volunteer's provider record is dispatch's; the
    account is what training knows people by). A unit's claim credits no one."""
    if event.claimer_kind != "person" or event.claimer_user_id is None:
        log.info("wish fulfilled by a unit: no person to credit", wish_id=str(event.wish_id))
        return
    category = await rule_for(session, WishFulfilled.NAME)
    if category is None:
        return
    credit = Credit(category.code, category.worth(), "圆梦微心愿", WishFulfilled.NAME, event.wish_id, now())
    await credit_person(session, credit, user_id=event.claimer_user_id)


@consumer.on(AttendanceRecorded)
async def attendance_recorded(session: AsyncSession, event: AttendanceRecorded) -> None:
    category = await rule_for(session, AttendanceRecorded.NAME)
    if category is None:
        return
    points = category.worth(hours=event.credit_hours)
    if points == 0:
        return
    title = await session.scalar(select(TrainingSession.title).where(TrainingSession.id == event.session_id))
    reason = f"参加培训：{title or '培训'}（{event.credit_hours.normalize():f}学时）"[:200]
    credit = Credit(category.code, points, reason, AttendanceRecorded.NAME, event.attendance_id, event.checked_in_at)
    if not await enter(session, event.person_id, credit):
        log.info("attendance credited before", attendance_id=str(event.attendance_id))
