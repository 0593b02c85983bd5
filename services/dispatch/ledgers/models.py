"""Delegate and studio ledgers (党代表工作室台账, DSP-30, seed 001/SZ-23, SZ-28): each opinion a delegate or studio
collects, whom it was forwarded to, the department's answer, the feedback given to the resident and the delegate's
evaluation of the handling."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class OpinionStatus(StrEnum):
    COLLECTED = "collected"
    FORWARDED = "forwarded"
    ANSWERED = "answered"
    FED_BACK = "fed_back"
    EVALUATED = "evaluated"


# The order an opinion moves through; each step needs the one before.
STAGES = tuple(OpinionStatus)


class DelegateOpinion(TenantScoped, Base):
    """社情民意: one opinion in a delegate's or studio's tracking ledger."""

    __tablename__ = "delegate_opinion"
    __table_args__ = (
        Index("ix_delegate_opinion_collector", "tenant_id", "collector_id", "collected_on"),
        Index("ix_delegate_opinion_collected", "tenant_id", "collected_on"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    collector_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("provider.id", ondelete="RESTRICT"), nullable=False)
    collector_name: Mapped[str] = mapped_column(String(100), nullable=False)  # as it was when collected
    collected_on: Mapped[date] = mapped_column(Date, nullable=False)
    channel: Mapped[str] = mapped_column(String(10), nullable=False)  # line | visit | form | card ("four ones")
    summary: Mapped[str] = mapped_column(String(200), nullable=False)
    details: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(12), nullable=False, default=OpinionStatus.COLLECTED)
    department: Mapped[str | None] = mapped_column(String(100))
    forwarded_on: Mapped[date | None] = mapped_column(Date)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None] = mapped_column(Date)
    feedback: Mapped[str | None] = mapped_column(Text)
    fed_back_on: Mapped[date | None] = mapped_column(Date)
    evaluation: Mapped[str | None] = mapped_column(String(20))  # satisfied | basically_satisfied | unsatisfied
    evaluation_note: Mapped[str | None] = mapped_column(Text)
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_by_name: Mapped[str | None] = mapped_column(String(80))  # who wrote the last step
