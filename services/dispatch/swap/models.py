"""The idle-item swap (闲置物品交换, DSP-27 [003]): residents bring useful idle items to the community and register
them (the owner's name and phone encrypted, masked copies shown); each month a community or street holds a swap day
where the items brought are exchanged one for another, or an item is given to a household in need (困难户). An item
is settled once: swapped or donated, which the database checks as well."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class ItemState(StrEnum):
    AVAILABLE = "available"  # registered, waiting for a swap day
    SWAPPED = "swapped"
    DONATED = "donated"


class StepKind(StrEnum):
    REGISTERED = "registered"
    BROUGHT = "brought"  # to a swap day
    SWAPPED = "swapped"
    DONATED = "donated"


class SwapItem(TenantScoped, Base):
    """One idle item registered at a community (village), with what became of it."""

    __tablename__ = "swap_item"
    __table_args__ = (
        Index("ix_swap_item_community", "tenant_id", "community_path", "received_on"),
        Index("ix_swap_item_owner_phone", "tenant_id", "owner_phone_index"),
        CheckConstraint(
            "(state = 'available' AND swapped_for_id IS NULL AND household_id IS NULL)"
            " OR (state = 'swapped' AND swapped_for_id IS NOT NULL AND settled_on IS NOT NULL"
            " AND household_id IS NULL)"
            " OR (state = 'donated' AND household_id IS NOT NULL AND settled_on IS NOT NULL"
            " AND swapped_for_id IS NULL)",
            name="settled_once",
        ),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    title: Mapped[str] = mapped_column(String(100), nullable=False)
    category: Mapped[str] = mapped_column(String(20), nullable=False)
    condition: Mapped[str] = mapped_column(String(12), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False, default=1)  # pieces registered together
    description: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    community_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    community_name: Mapped[str] = mapped_column(String(200), nullable=False)
    community_path: Mapped[str] = mapped_column(PATH, nullable=False)
    street_name: Mapped[str | None] = mapped_column(String(200))
    owner_name_cipher: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    owner_name_masked: Mapped[str] = mapped_column(String(50), nullable=False)
    owner_phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    owner_phone_index: Mapped[bytes | None] = mapped_column(LargeBinary)
    owner_phone_masked: Mapped[str | None] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date, nullable=False)  # the day it was brought in and registered
    state: Mapped[str] = mapped_column(String(10), nullable=False, default=ItemState.AVAILABLE)
    # swapped: for which item (its owner took this one) at which swap day; donated: to which household
    swapped_for_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("swap_item.id", ondelete="RESTRICT"))
    event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("swap_event.id", ondelete="RESTRICT"))
    household_id: Mapped[uuid.UUID | None] = mapped_column()
    settled_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")  # the donation's note
    registered_by_name: Mapped[str | None] = mapped_column(String(80))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class SwapEvent(TenantScoped, Base):
    """A community's or street's swap day: one a month per unit."""

    __tablename__ = "swap_event"
    __table_args__ = (
        UniqueConstraint("tenant_id", "unit_id", "month", name="uq_swap_event_unit_month"),
        Index("ix_swap_event_held", "tenant_id", "held_on"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    month: Mapped[str] = mapped_column(String(7), nullable=False)  # YYYY-MM of held_on
    place: Mapped[str] = mapped_column(String(200), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    unit_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    unit_name: Mapped[str] = mapped_column(String(200), nullable=False)
    unit_level: Mapped[str] = mapped_column(String(10), nullable=False)
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    recorded_by_name: Mapped[str | None] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class SwapEventItem(TenantScoped, Base):
    """An item brought to a swap day (an item not taken may come again the next month)."""

    __tablename__ = "swap_event_item"
    __table_args__ = (UniqueConstraint("tenant_id", "event_id", "item_id", name="uq_swap_event_item"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("swap_event.id", ondelete="CASCADE"), nullable=False)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("swap_item.id", ondelete="CASCADE"), nullable=False)
    brought_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class SwapStep(TenantScoped, Base):
    """Each step of an item, in order: registered, brought to a swap day, swapped or donated."""

    __tablename__ = "swap_step"
    __table_args__ = (Index("ix_swap_step_item", "tenant_id", "item_id", "at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("swap_item.id", ondelete="CASCADE"), nullable=False)
    step: Mapped[str] = mapped_column(String(10), nullable=False)
    event_id: Mapped[uuid.UUID | None] = mapped_column()
    detail: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    actor_name: Mapped[str | None] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
