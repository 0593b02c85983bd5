"""Rectification lists (TRN-13, 001/SPB-3): each item is one line of the three lists at once, the problem (问题清单),
its measure (整改清单) and who answers for it (责任清单: the lead unit and the responsible leader), with a deadline
kept as a row (``deadline``: an open item past it is overdue, by query), monthly progress notes (月调度) and the
tick-off (销号) with a note. An item may come from a secretary's duty review."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, Timestamped, uuid7


class RectificationItem(TenantScoped, Timestamped, Base):
    __tablename__ = "rectification_item"
    __table_args__ = (
        # the open items by deadline (the overdue first), per unit and district-wide
        Index("ix_rectification_item_tenant_open", "tenant_id", "done_at", "deadline", "id"),
        Index("ix_rectification_item_tenant_unit", "tenant_id", "unit_path", "deadline"),
        Index("ix_rectification_item_tenant_review", "tenant_id", "review_id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)  # the lead unit (牵头单位)
    unit_name: Mapped[str] = mapped_column(String(200), nullable=False)
    problem: Mapped[str] = mapped_column(Text, nullable=False)
    measure: Mapped[str] = mapped_column(Text, nullable=False)
    leader: Mapped[str] = mapped_column(String(100), nullable=False)  # the responsible leader (责任领导)
    deadline: Mapped[date] = mapped_column(Date, nullable=False)
    review_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("duty_review.id", ondelete="SET NULL"))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_note: Mapped[str | None] = mapped_column(Text)
    done_by_name: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    created_by_name: Mapped[str | None] = mapped_column(String(100))


class RectificationProgress(TenantScoped, Base):
    """The month's progress note of an item (月调度): one per item and month, a second replaces the first."""

    __tablename__ = "rectification_progress"
    __table_args__ = (
        UniqueConstraint("tenant_id", "item_id", "month", name="uq_rectification_progress_tenant_item_month"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rectification_item.id", ondelete="CASCADE"), nullable=False)
    month: Mapped[str] = mapped_column(String(7), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    recorded_by_name: Mapped[str | None] = mapped_column(String(100))
