"""Cities over the tenant registry and the figures their districts publish. Platform-level like the registry: a city
spans districts, so these tables have no ``tenant_id`` under RLS; every read names the caller's city explicitly
(``services.py``), on the system role."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models import Base
from shared.db.base import uuid7

SOURCES = ("hotline", "network", "care")  # dispatch's figures, orgtree's Yaoxi roll-up, training's reviews


class City(Base):
    """A city (市) whose programme spans districts: Wenzhou's Red Cell Project covers Longwan and Ouhai."""

    __tablename__ = "city"
    __table_args__ = (CheckConstraint("code ~ '^[a-z][a-z0-9-]{2,62}$'", name="code_format"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(63), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CityDistrict(Base):
    """A district belongs to one city at most."""

    __tablename__ = "city_district"
    __table_args__ = (Index("ix_city_district_city", "city_id"),)

    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True)
    city_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), nullable=False)


class CityAccount(Base):
    """A login of a city, not of a district: its token carries no district and the one role ``city_viewer``."""

    __tablename__ = "city_account"
    __table_args__ = (Index("ix_city_account_city", "city_id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    city_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("city.id", ondelete="CASCADE"), nullable=False)


class CityFigures(Base):
    """The latest figures a district published for a period (YYYY-MM or YYYY-MM-DD), per source: counts and rates
    only, as the event carried them (``shared/contracts/city.py``)."""

    __tablename__ = "city_figures"
    __table_args__ = (
        CheckConstraint("source IN ('hotline', 'network', 'care')", name="source_known"),
        CheckConstraint(r"period ~ '^\d{4}-\d{2}(-\d{2})?$'", name="period_format"),
    )

    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(20), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    figures: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
