"""Clocks as rows: the sign-for, arrival and resolution limits of a ticket."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class DeadlineKind(StrEnum):
    SIGN_FOR = "sign_for"
    ARRIVAL = "arrival"
    RESOLUTION = "resolution"  # the current ladder level's limit: yellow at due
    RED = "red"  # further period after the yellow: red warning and escalation
    REFERRAL = "referral"  # a referral notice's deadline


class Deadline(TenantScoped, Base):
    """A clock as a row (docs/architecture-notes.md, "Dispatch"): the scheduler fires each one exactly once."""

    __tablename__ = "deadline"
    __table_args__ = (
        Index("ix_deadline_ticket", "tenant_id", "ticket_id"),
        # The sweep's index, across districts: only rows still waiting.
        Index("ix_deadline_due", "due_at", postgresql_where=text("fired_at IS NULL AND cancelled_at IS NULL")),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    level_rank: Mapped[int] = mapped_column(Integer, nullable=False)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    fired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # met, or superseded
    # The limit as configured (migration 0007), so a warning can name it: minutes, on the working calendar
    # or around the clock. None for a date-bound clock (a referral notice) and rows written before 0007.
    limit_minutes: Mapped[int | None] = mapped_column(Integer)
    working_time: Mapped[bool | None] = mapped_column(Boolean)
