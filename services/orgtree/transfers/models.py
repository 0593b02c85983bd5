"""A transfer between districts as this district sees it: a member leaving (then gone, or back) or arrived."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import Base
from shared.db.base import TenantScoped, uuid7


class DistrictTransfer(TenantScoped, Base):
    __tablename__ = "district_transfer"
    __table_args__ = (
        UniqueConstraint("tenant_id", "offer_id", name="uq_district_transfer_tenant_offer"),
        CheckConstraint("direction IN ('out', 'in')", name="direction_known"),
        CheckConstraint("status IN ('leaving', 'transferred', 'returned', 'arrived')", name="status_known"),
        Index("ix_district_transfer_member", "tenant_id", "member_id"),
        # a member leaves by one offer at a time
        Index(
            "uq_district_transfer_leaving",
            "tenant_id",
            "member_id",
            unique=True,
            postgresql_where="status = 'leaving'",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    offer_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # the gateway's offer: the same in both districts
    direction: Mapped[str] = mapped_column(String(3), nullable=False)
    member_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # outlives the member row (history)
    other_tenant_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    other_district: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    transfer_on: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)  # why it was declined
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
