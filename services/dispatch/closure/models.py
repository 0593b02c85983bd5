"""What closing a ticket needs besides the resolution: the served person's feedback and the callback."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class Feedback(TenantScoped, Base):
    """The served person's feedback form (DSP-07, DSP-19, DSP-20); the latest one counts."""

    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_ticket", "tenant_id", "ticket_id", "given_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"), nullable=False)
    satisfied: Mapped[bool] = mapped_column(Boolean, nullable=False)
    # 1..5 scores for the handler, the station, the process and the result (DSP-19).
    handler_score: Mapped[int | None] = mapped_column(Integer)
    station_score: Mapped[int | None] = mapped_column(Integer)
    process_score: Mapped[int | None] = mapped_column(Integer)
    result_score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    given_by: Mapped[uuid.UUID | None] = mapped_column()  # the resident, or the operator taking it down
    given_by_name: Mapped[str | None] = mapped_column(String(80))  # the operator's name (migration 0007)
    # How it reached us (migration 0007): sms (the resident's SMS reply, typed in by an operator), page (the
    # resident's own page) or phone (an operator's call); None for forms taken before 0007.
    via: Mapped[str | None] = mapped_column(String(10))
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Callback(TenantScoped, Base):
    """The hotline's call back to the served person (电话回访), or a waiver of it with a reason."""

    __tablename__ = "callback"
    __table_args__ = (Index("ix_callback_ticket", "tenant_id", "ticket_id", "at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"), nullable=False)
    outcome: Mapped[str] = mapped_column(String(20), nullable=False)  # reached | unreachable | waived
    note: Mapped[str | None] = mapped_column(Text)
    waiver_reason: Mapped[str | None] = mapped_column(Text)  # a code of closure/waivers.py (free text before 0007)
    by_user: Mapped[uuid.UUID] = mapped_column(nullable=False)
    by_name: Mapped[str | None] = mapped_column(String(80))  # migration 0007
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
