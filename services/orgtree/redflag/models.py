"""The Red Flag Communities' structure on units: staffing quotas and staff (ORG-20), venues and service points
with their certification (ORG-22), brands (ORG-23). Rows on a unit carry a copy of its path (``unit_path``), so a
subtree is one btree range and a move rewrites them with the units' own paths (nodes/services.py PATH_COPIES)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import PATH, Base
from shared.db.base import TenantScoped, uuid7


class StaffingQuota(TenantScoped, Base):
    """A district's rule: units at ``level`` hold at least ``minimum`` staff in ``role``. A district with no row
    keeps the seed's rules (redflag/staffing.py DEFAULT_QUOTAS)."""

    __tablename__ = "staffing_quota"
    __table_args__ = (UniqueConstraint("tenant_id", "level", "role", name="uq_staffing_quota_level_role"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    level: Mapped[str] = mapped_column(String(40), nullable=False)
    role: Mapped[str] = mapped_column(String(30), nullable=False)  # full_time_worker | reserve_cadre
    minimum: Mapped[int] = mapped_column(Integer, nullable=False)


class UnitStaff(TenantScoped, Base):
    """A member serving a unit as a full-time party worker or a reserve cadre from ``since`` (until ``until``)."""

    __tablename__ = "unit_staff"
    __table_args__ = (Index("ix_unit_staff_unit_path", "tenant_id", "unit_path"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="CASCADE"), nullable=False)
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    role: Mapped[str] = mapped_column(String(30), nullable=False)
    since: Mapped[date] = mapped_column(Date, nullable=False)
    until: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Venue(TenantScoped, Base):
    """A venue or service point of a unit ("71" centre, 7171 point, Red Cube station ...) and where its
    certification stands (None: never applied for)."""

    __tablename__ = "venue"
    __table_args__ = (Index("ix_venue_unit_path", "tenant_id", "unit_path"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="CASCADE"), nullable=False)
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    address: Mapped[str | None] = mapped_column(String(200))
    opening_hours: Mapped[str | None] = mapped_column(String(100))
    item_count: Mapped[int | None] = mapped_column(Integer)  # party-mass service centres: service items offered
    status: Mapped[str | None] = mapped_column(String(20))  # applied | certified | revoked
    status_on: Mapped[date | None] = mapped_column(Date)
    signage: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Sunshine stations: the services each offers (membership transfer, mobile-member branch, reading room [001/PD])
    services: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class VenueCertification(TenantScoped, Base):
    """One change of a venue's certification: applied, certified, revoked, with the sign's presence then."""

    __tablename__ = "venue_certification"
    __table_args__ = (Index("ix_venue_certification_venue", "tenant_id", "venue_id", "recorded_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venue.id", ondelete="CASCADE"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    changed_on: Mapped[date] = mapped_column(Date, nullable=False)
    signage: Mapped[bool] = mapped_column(Boolean, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class UnitBrand(TenantScoped, Base):
    """A street's brand or a community's feature ("一街一品牌，一社一特色"): one current per unit (``replaced_at``
    None), the ones it replaced kept as its history."""

    __tablename__ = "unit_brand"
    __table_args__ = (
        Index("ix_unit_brand_unit_path", "tenant_id", "unit_path"),
        Index(
            "uq_unit_brand_current",
            "tenant_id",
            "unit_id",
            unique=True,
            postgresql_where=text("replaced_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="CASCADE"), nullable=False)
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    name: Mapped[str] = mapped_column(String(40), nullable=False)  # at most 10 characters as read (brands.py)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_by: Mapped[uuid.UUID | None] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    replaced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
