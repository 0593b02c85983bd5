"""Dispatch's overdue warnings become accountability records (EVT-04), once each however often delivered."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.accountability.models import ONE_PER_WARNING, AccountabilityRecord
from services.training.events import consumer
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.dispatch import TicketOverdue
from shared.db.base import uuid7


@consumer.on(TicketOverdue)
async def ticket_overdue(session: AsyncSession, event: TicketOverdue) -> None:
    """The record names the person by member id: whoever that member is on training's rolls now or later."""
    values = {
        "tenant_id": require_tenant(),
        "id": uuid7(),
        "ticket_id": event.ticket_id,
        "warning": event.warning,
        "clock": event.clock,
        "level": event.level,
        "due_at": event.due_at,
        "warned_at": event.warned_at or now(),  # events from before dispatch sent the time: when it came
        "unit_id": event.unit_id,
        "unit_path": event.unit_path,
        "unit_name": event.unit_name,
        "provider_id": event.provider_id,
        "member_id": event.member_id,
    }
    await session.execute(
        pg_insert(AccountabilityRecord).values(**values).on_conflict_do_nothing(constraint=ONE_PER_WARNING)
    )
