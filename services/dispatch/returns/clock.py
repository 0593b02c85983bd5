"""The ruling clock: a ``deadline`` row of kind ``arbitration`` for the unit that must rule, under the district's
limit (two working days unless the district admin sets another)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.clocks import timers
from services.dispatch.clocks.models import Deadline
from services.dispatch.returns.models import (
    ARBITRATION,
    DEFAULT_RULING_MINUTES,
    DEFAULT_WORKING_TIME,
    ReturnSetting,
)
from services.dispatch.tickets.models import Ticket
from shared.clock import now
from shared.db.base import uuid7


async def ruling_limit(session: AsyncSession) -> tuple[int, bool]:
    """Minutes the ruling unit has, and whether they count on the working calendar."""
    setting = await session.scalar(select(ReturnSetting))
    if setting is None:
        return DEFAULT_RULING_MINUTES, DEFAULT_WORKING_TIME
    return setting.ruling_minutes, setting.working_time


async def start_ruling_clock(session: AsyncSession, ticket: Ticket) -> Deadline:
    minutes, working = await ruling_limit(session)
    begun = now()
    due_at = await timers.due_after(session, begun, minutes, working_time=working)
    deadline = timers.add(
        session, ticket, ARBITRATION, due_at, started_at=begun, limit_minutes=minutes, working_time=working
    )
    deadline.id = uuid7()  # the return row points at it before the flush
    return deadline


async def stop_ruling_clock(session: AsyncSession, deadline_id: UUID | None) -> None:
    """The ruling came in time (or the case left the open states): the clock no longer runs."""
    if deadline_id is None:
        return
    await session.execute(
        update(Deadline)
        .where(Deadline.id == deadline_id, Deadline.fired_at.is_(None), Deadline.cancelled_at.is_(None))
        .values(cancelled_at=now())
    )
