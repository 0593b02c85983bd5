"""Meetings and their agendas (DSP-21 [000, 003]): the open cases at a level listed for its meeting, and what the
meeting decided for each."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class Meeting(TenantScoped, Base):
    """One held meeting of a village or street, of one kind (``agendas/kinds.py``)."""

    __tablename__ = "agenda_meeting"
    __table_args__ = (Index("ix_agenda_meeting_held", "tenant_id", "held_on"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    unit_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    unit_name: Mapped[str] = mapped_column(String(200), nullable=False)
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    attendees: Mapped[list[str]] = mapped_column(ARRAY(String(100)), nullable=False, default=list)
    recorded_by_name: Mapped[str | None] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class MeetingItem(TenantScoped, Base):
    """One case on a meeting's agenda as it stood when the agenda was drawn, and the outcome applied to it."""

    __tablename__ = "agenda_item"
    __table_args__ = (
        UniqueConstraint("tenant_id", "meeting_id", "ticket_id", name="uq_agenda_item_meeting_ticket"),
        Index("ix_agenda_item_meeting", "tenant_id", "meeting_id", "position"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agenda_meeting.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"), nullable=False)
    ticket_number: Mapped[str] = mapped_column(String(20), nullable=False)
    ticket_title: Mapped[str] = mapped_column(String(200), nullable=False)
    status_then: Mapped[str] = mapped_column(String(12), nullable=False)
    level_then: Mapped[int] = mapped_column(Integer, nullable=False)
    warning_then: Mapped[str | None] = mapped_column(String(10))
    outcome: Mapped[str | None] = mapped_column(String(12))  # resolved | escalated | referred | discussed
    outcome_note: Mapped[str | None] = mapped_column(Text)
    referral_number: Mapped[str | None] = mapped_column(String(40))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
