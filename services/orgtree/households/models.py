"""Households in grids and what happened to them."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, Timestamped, uuid7


class Household(TenantScoped, Timestamped, Base):
    """A household in a grid (ORG-07, ORG-15). Address, head and phone are personal data: encrypted."""

    __tablename__ = "household"
    __table_args__ = (
        Index("ix_household_tenant_grid_path", "tenant_id", "grid_path", "id"),
        Index("ix_household_tenant_phone_index", "tenant_id", "phone_index"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    grid_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="RESTRICT"), nullable=False)
    grid_path: Mapped[str] = mapped_column(PATH, nullable=False)
    label: Mapped[str] = mapped_column(String(100), nullable=False)  # e.g. "3组12号", not personal
    head_name_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    head_name_masked: Mapped[str | None] = mapped_column(String(100))
    address_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    address_masked: Mapped[str | None] = mapped_column(String(200))
    phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_index: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    categories: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    is_member_hub: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    plaque: Mapped[str | None] = mapped_column(String(40))
    plaque_issued_on: Mapped[date | None] = mapped_column(Date)


class HouseholdEvent(TenantScoped, Base):
    """Something that happened to a household (hospitalised, moved, conflict, ...) that needs a visit (EVT-12)."""

    __tablename__ = "household_event"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    household_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
