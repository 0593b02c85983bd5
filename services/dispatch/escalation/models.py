"""Requests for more time on a deadline, and referral notices (抄告单) at street supervision."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class Extension(TenantScoped, Base):
    """A request for more time on a deadline, decided before it passes (12345 practice)."""

    __tablename__ = "extension"
    __table_args__ = (Index("ix_extension_ticket", "tenant_id", "ticket_id"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False)
    deadline_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("deadline.id", ondelete="CASCADE"), nullable=False)
    requested_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    requested_by_name: Mapped[str | None] = mapped_column(String(80))  # migration 0007
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    new_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")  # approved | rejected
    decided_by: Mapped[uuid.UUID | None] = mapped_column()
    decided_by_name: Mapped[str | None] = mapped_column(String(80))  # migration 0007
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)  # why it was approved or refused (migration 0003)


class ReferralNotice(TenantScoped, Base):
    """抄告单 (DSP-15): the street supervision meeting hands a case to a responsible unit with a deadline."""

    __tablename__ = "referral_notice"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number", name="uq_referral_notice_tenant_number"),
        Index("ix_referral_notice_ticket", "tenant_id", "ticket_id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"), nullable=False)
    number: Mapped[str] = mapped_column(String(30), nullable=False)
    meeting: Mapped[str] = mapped_column(String(100), nullable=False)
    responsible_unit: Mapped[str] = mapped_column(String(100), nullable=False)
    responsible_person: Mapped[str] = mapped_column(String(60), nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    issued_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    issued_by_name: Mapped[str | None] = mapped_column(String(80))  # migration 0007
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    closure_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
