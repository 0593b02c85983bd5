"""Open organisational-life bases (TRN-15, seed 003): a base is orgtree's venue of kind ``open_org_life_base``
(referred to by its id, with its unit's path and name copied), its menu of activities (点单), the branches'
bookings of an activity at a time, and the attendance recorded after it."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, Timestamped, uuid7

ONE_BASE_PER_VENUE = "uq_org_life_base_tenant_venue"
ONE_BOOKING_PER_SLOT = "uq_base_booking_tenant_base_start"


class BookingState(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    ATTENDED = "attended"  # the attendance is recorded


class OrgLifeBase(TenantScoped, Base):
    __tablename__ = "org_life_base"
    __table_args__ = (
        UniqueConstraint("tenant_id", "venue_id", name=ONE_BASE_PER_VENUE),
        Index("ix_org_life_base_tenant_path", "tenant_id", "unit_path"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    venue_id: Mapped[uuid.UUID | None] = mapped_column()  # orgtree's venue; None only for the demo's samples
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)  # the venue's unit
    unit_name: Mapped[str] = mapped_column(String(200), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    capacity: Mapped[int] = mapped_column(Integer, nullable=False)  # people per activity
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class BaseActivity(TenantScoped, Base):
    """An item of a base's menu: what a branch may book there (a red tour, a themed party day, a lecture ...)."""

    __tablename__ = "base_activity"
    __table_args__ = (Index("ix_base_activity_tenant_base", "tenant_id", "base_id"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    base_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_life_base.id", ondelete="CASCADE"), nullable=False)
    title: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class BaseBooking(TenantScoped, Timestamped, Base):
    """A branch's booking of a menu item at a time; one live booking per base and start time."""

    __tablename__ = "base_booking"
    __table_args__ = (
        Index(
            ONE_BOOKING_PER_SLOT,
            "tenant_id",
            "base_id",
            "starts_at",
            unique=True,
            postgresql_where=text("state <> 'cancelled'"),
        ),
        Index("ix_base_booking_tenant_branch", "tenant_id", "branch_path", "starts_at"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    base_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_life_base.id", ondelete="CASCADE"), nullable=False)
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("base_activity.id", ondelete="RESTRICT"), nullable=False)
    branch_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # orgtree's party unit
    branch_path: Mapped[str] = mapped_column(PATH, nullable=False)
    branch_name: Mapped[str] = mapped_column(String(200), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expected: Mapped[int] = mapped_column(Integer, nullable=False)  # members coming
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=BookingState.BOOKED)
    attended: Mapped[int | None] = mapped_column(Integer)
    attendance_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    booked_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    booked_by_name: Mapped[str | None] = mapped_column(String(100))
