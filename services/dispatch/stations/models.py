"""Red Cube stations (红立方, DSP-11): a station attached to a unit, its extra services, its on-duty rota drawn from
the volunteers under that unit, and the sign-ups its desk takes for volunteer recruitment."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, LargeBinary, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class Station(TenantScoped, Base):
    __tablename__ = "station"
    __table_args__ = (Index("ix_station_path", "tenant_id", "unit_path"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    unit_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # orgtree's unit (a grid or one of its ancestors)
    unit_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)  # its volunteers and staff are under it
    address: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    opening_hours: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    extra_services: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class StationShift(TenantScoped, Base):
    """One volunteer on duty at a station from ``starts_at`` to ``ends_at``."""

    __tablename__ = "station_shift"
    __table_args__ = (Index("ix_station_shift_time", "tenant_id", "station_id", "starts_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"), nullable=False)
    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("provider.id", ondelete="RESTRICT"), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class StationSignUp(TenantScoped, Base):
    """A resident signing up at the desk to volunteer: name and phone encrypted with the district's key."""

    __tablename__ = "station_sign_up"
    __table_args__ = (Index("ix_station_sign_up_station", "tenant_id", "station_id", "signed_up_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"), nullable=False)
    name_cipher: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    name_masked: Mapped[str] = mapped_column(String(50), nullable=False)
    phone_cipher: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    phone_masked: Mapped[str] = mapped_column(String(20), nullable=False)
    skills: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    taken_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    signed_up_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
