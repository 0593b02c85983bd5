"""The village micro-fund (微基金, DSP-23 [000]): donors' money in, payments out for a micro-wish or a case."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, DateTime, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class EntryKind(StrEnum):
    DONATION = "donation"
    DISBURSEMENT = "disbursement"


class FundEntry(TenantScoped, Base):
    """One line of a village's ledger; ``balance_after`` is the village's balance once it is booked, which the
    database keeps at zero or above (the service books one line at a time per village)."""

    __tablename__ = "fund_entry"
    __table_args__ = (
        Index("ix_fund_entry_village", "tenant_id", "village_id", "booked_at"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("balance_after >= 0", name="balance_not_negative"),
        CheckConstraint(
            "kind = 'donation' OR wish_id IS NOT NULL OR ticket_id IS NOT NULL", name="disbursement_linked"
        ),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    village_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    village_name: Mapped[str] = mapped_column(String(200), nullable=False)
    village_path: Mapped[str] = mapped_column(PATH, nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    balance_after: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    on_day: Mapped[date] = mapped_column(Date, nullable=False)  # received or paid
    donor: Mapped[str | None] = mapped_column(String(100))  # a donation's benefactor (爱心人士), as they wish named
    purpose: Mapped[str] = mapped_column(Text, nullable=False, default="")
    wish_id: Mapped[uuid.UUID | None] = mapped_column()
    ticket_id: Mapped[uuid.UUID | None] = mapped_column()
    linked_title: Mapped[str | None] = mapped_column(String(200))  # the wish's or case's title when paid
    recorded_by_name: Mapped[str | None] = mapped_column(String(80))
    booked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
