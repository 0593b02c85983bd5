"""Micro-wishes (微心愿)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import DateTime, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import Base, tenant_column
from shared.db.base import TenantScoped, Timestamped, uuid7


class WishStatus(StrEnum):
    COLLECTED = "collected"
    PUBLISHED = "published"
    CLAIMED = "claimed"
    UNIT_CLAIM = "unit_claim"  # no individual could fulfil it: open to firms and units
    FULFILLED = "fulfilled"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class MicroWish(TenantScoped, Timestamped, Base):
    """微心愿 (DSP-22): a small wish of a person in difficulty, claimed by a person or a unit."""

    __tablename__ = "micro_wish"
    __table_args__ = (Index("ix_micro_wish_tenant_status", "tenant_id", "status", "created_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    source: Mapped[str] = mapped_column(String(20), nullable=False)  # visit, wall, staff, media, online, station
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    value_yuan: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    household_id: Mapped[uuid.UUID | None] = mapped_column()
    grid_id: Mapped[uuid.UUID | None] = mapped_column()
    beneficiary_masked: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(12), nullable=False, default=WishStatus.COLLECTED)
    claimer_kind: Mapped[str | None] = mapped_column(String(12))  # person | unit
    claimer_user_id: Mapped[uuid.UUID | None] = mapped_column()
    claimer_provider_id: Mapped[uuid.UUID | None] = mapped_column()
    claimer_unit: Mapped[str | None] = mapped_column(String(100))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fulfilled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    evidence_note: Mapped[str | None] = mapped_column(Text)
    evidence_key: Mapped[str | None] = mapped_column(String(300))  # a photo kept here before documents took them
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    evidence_document_id: Mapped[uuid.UUID | None] = mapped_column()  # the photo filed in documents (0010)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column()
