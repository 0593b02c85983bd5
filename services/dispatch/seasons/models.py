"""The four-season programmes [004]: spring training (春季调训), summer cooling (夏送清凉, 100+ free herbal-tea points
staffed by member volunteers on hot days), autumn study delivery (金秋送学) and winter warmth (冬送温暖). A district
runs one programme per year and season; its activities and tea points are recorded per village or street."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint, Uuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class Season(StrEnum):
    SPRING = "spring"  # 春季调训: concentrated training of grassroots party workers
    SUMMER = "summer"  # 夏送清凉: free herbal-tea points
    AUTUMN = "autumn"  # 金秋送学: sending study, books and teachers to village members
    WINTER = "winter"  # 冬送温暖: New Year and Spring Festival consolation visits


class SeasonProgramme(TenantScoped, Base):
    """A district's programme of one season in one year, with the dates its activities fall between."""

    __tablename__ = "season_programme"
    __table_args__ = (UniqueConstraint("tenant_id", "year", "season", name="uq_season_programme_year_season"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    season: Mapped[str] = mapped_column(String(6), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    summary: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    created_by_name: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class SeasonActivity(TenantScoped, Base):
    """One activity of a programme in a village or street: when, what, how many members took part, people served."""

    __tablename__ = "season_activity"
    __table_args__ = (Index("ix_season_activity_programme", "tenant_id", "programme_id", "held_on"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    programme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("season_programme.id", ondelete="CASCADE"), nullable=False
    )
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    unit_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    unit_name: Mapped[str] = mapped_column(String(200), nullable=False)
    unit_level: Mapped[str] = mapped_column(String(10), nullable=False)
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    street_name: Mapped[str] = mapped_column(String(200), nullable=False)  # the report's row
    what: Mapped[str] = mapped_column(Text, nullable=False)
    members: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # members taking part
    served: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # people served
    recorded_by_name: Mapped[str | None] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class TeaPoint(TenantScoped, Base):
    """A summer programme's free herbal-tea point (凉茶点): where, open from when to when, which member volunteers
    are on duty, and the cups poured and people served."""

    __tablename__ = "tea_point"
    __table_args__ = (Index("ix_tea_point_programme", "tenant_id", "programme_id", "street_name"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    programme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("season_programme.id", ondelete="CASCADE"), nullable=False
    )
    place: Mapped[str] = mapped_column(String(200), nullable=False)
    unit_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    unit_name: Mapped[str] = mapped_column(String(200), nullable=False)
    unit_level: Mapped[str] = mapped_column(String(10), nullable=False)
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    street_name: Mapped[str] = mapped_column(String(200), nullable=False)
    opens_on: Mapped[date] = mapped_column(Date, nullable=False)
    closes_on: Mapped[date] = mapped_column(Date, nullable=False)
    opens_at: Mapped[time] = mapped_column(Time, nullable=False)
    closes_at: Mapped[time] = mapped_column(Time, nullable=False)
    on_duty_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()), nullable=False)  # member volunteers
    on_duty_names: Mapped[list[str]] = mapped_column(ARRAY(String(100)), nullable=False)
    cups: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    served: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    recorded_by_name: Mapped[str | None] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
