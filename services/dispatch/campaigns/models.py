"""Campaign days (DSP-13 [000]): the mass-service day of each month and the red-vest Tuesdays, each with its
roster (time, person in their named vest, matter) and the people served."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class CampaignKind(StrEnum):
    MASS_SERVICE = "mass_service"  # 集中服务日: the same day every month (the 25th in Yaoxi)
    RED_VEST = "red_vest"  # 红马甲日: every week on the same weekday (Tuesday)


class DutyRole(StrEnum):
    STREET_CADRE = "street_cadre"  # 街道干部
    BRANCH_MEMBER = "branch_member"  # 村支部党员


class CampaignCalendar(TenantScoped, Base):
    """The district's rhythm: which day of the month is the mass-service day, which weekday the red-vest day."""

    __tablename__ = "campaign_calendar"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_campaign_calendar_tenant"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    mass_service_day: Mapped[int] = mapped_column(Integer, nullable=False, default=25)  # 1..28
    red_vest_weekday: Mapped[int] = mapped_column(Integer, nullable=False, default=2)  # Monday=1 .. Sunday=7


class CampaignDay(TenantScoped, Base):
    """One held (or planned) campaign day in a village or street."""

    __tablename__ = "campaign_day"
    __table_args__ = (
        UniqueConstraint("tenant_id", "unit_id", "kind", "held_on", name="uq_campaign_day_unit_kind_day"),
        Index("ix_campaign_day_held", "tenant_id", "held_on"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    unit_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    unit_name: Mapped[str] = mapped_column(String(200), nullable=False)
    unit_level: Mapped[str] = mapped_column(String(10), nullable=False)
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    recorded_by_name: Mapped[str | None] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class CampaignDuty(TenantScoped, Base):
    """One line of a campaign day's roster: from when, who (a member volunteer in their named vest), what matter,
    and how many people they served."""

    __tablename__ = "campaign_duty"
    __table_args__ = (Index("ix_campaign_duty_day", "tenant_id", "campaign_day_id", "starts_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    campaign_day_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("campaign_day.id", ondelete="CASCADE"), nullable=False
    )
    starts_at: Mapped[time] = mapped_column(Time, nullable=False)
    ends_at: Mapped[time | None] = mapped_column(Time)
    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("provider.id", ondelete="RESTRICT"), nullable=False)
    person_name: Mapped[str] = mapped_column(String(100), nullable=False)
    role: Mapped[str] = mapped_column(String(14), nullable=False)
    vest: Mapped[str] = mapped_column(String(40), nullable=False)  # the name printed on the red vest
    matter: Mapped[str] = mapped_column(Text, nullable=False)
    served: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
