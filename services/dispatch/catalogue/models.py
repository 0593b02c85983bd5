"""The district's hotline setup: settings, working calendar, service catalogue and escalation ladder."""

from __future__ import annotations

import uuid
from datetime import date, time
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Time,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import Base
from shared.db.base import TenantScoped, Timestamped, uuid7


class DispatchSettings(TenantScoped, Timestamped, Base):
    """Per-district hotline rules; seeded when the district is provisioned (GW-07)."""

    __tablename__ = "dispatch_settings"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_dispatch_settings_tenant"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    hotline_number: Mapped[str] = mapped_column(String(20), nullable=False, default="96345")
    arrival_limit_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=15)  # DSP-05 pledge
    offer_timeout_seconds: Mapped[int] = mapped_column(Integer, nullable=False, default=120)
    duplicate_window_days: Mapped[int] = mapped_column(Integer, nullable=False, default=7)
    # Red warning this long after the yellow one (DSP-16); the level's resolution limit sets the yellow.
    red_after_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=24 * 60)
    # Working day for clocks "counted on the working calendar": Monday=1 .. Sunday=7.
    working_weekdays: Mapped[list[int]] = mapped_column(ARRAY(Integer), nullable=False, default=lambda: [1, 2, 3, 4, 5])
    work_starts: Mapped[time] = mapped_column(Time, nullable=False, default=time(8, 30))
    work_ends: Mapped[time] = mapped_column(Time, nullable=False, default=time(17, 30))
    timezone: Mapped[str] = mapped_column(String(40), nullable=False, default="Asia/Shanghai")
    webhook_url: Mapped[str | None] = mapped_column(String(500))  # the district's own system, if any
    # DSP-12/EVT-14: member volunteers are offered tickets only after pre-service training. A district seeded
    # from now on starts with it on; one that existed before the rule keeps routing as it did (the column's
    # server default) until its administrator turns it on.
    require_pre_service: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default=false())
    # DSP-24/25 (migration 0011): a red-cell link unvisited this many days shows in the compliance report
    # (一周一访 [000]: 7), and a mandatory visit (八个必访) is due this many days after its task is raised.
    visit_interval_days: Mapped[int] = mapped_column(Integer, nullable=False, default=7, server_default="7")
    visit_task_days: Mapped[int] = mapped_column(Integer, nullable=False, default=3, server_default="3")


class CalendarDay(TenantScoped, Base):
    """An exception to the working week: a holiday (is_working false) or a make-up working day (调休)."""

    __tablename__ = "calendar_day"
    __table_args__ = (UniqueConstraint("tenant_id", "day", name="uq_calendar_day_tenant_day"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    day: Mapped[date] = mapped_column(Date, nullable=False)
    is_working: Mapped[bool] = mapped_column(Boolean, nullable=False)
    label: Mapped[str] = mapped_column(String(60), nullable=False, default="")


# A volunteer away from the app reads the SMS, maybe phones the hotline back: minutes, not the old 120 s.
ANSWER_WINDOW_MINUTES = 10
ANSWER_WINDOW_BOUNDS = (1, 24 * 60)


class DispatchMode(StrEnum):
    ASSIGN = "assign"  # an offer to one provider at a time
    CLAIM = "claim"  # published to every eligible provider; first to accept wins


class ServiceCategory(TenantScoped, Base):
    """A category of the district's service catalogue (DSP-03) with its dispatch mode and clocks."""

    __tablename__ = "service_category"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code", name="uq_service_category_tenant_code"),
        CheckConstraint(
            "answer_window_minutes BETWEEN {} AND {}".format(*ANSWER_WINDOW_BOUNDS),
            name="ck_service_category_answer_window",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    mode: Mapped[str] = mapped_column(String(10), nullable=False, default=DispatchMode.ASSIGN)
    # Minutes allowed to sign for (accept), arrive and resolve; None: that clock does not run.
    sign_for_minutes: Mapped[int | None] = mapped_column(Integer)
    arrival_minutes: Mapped[int | None] = mapped_column(Integer)
    resolution_minutes: Mapped[int | None] = mapped_column(Integer)
    # Counted on the working calendar (working hours of working days) instead of around the clock.
    working_time: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # How long a provider has to answer an offer (DSP-04): long enough to be reached by SMS and phone back.
    answer_window_minutes: Mapped[int] = mapped_column(
        Integer, nullable=False, default=ANSWER_WINDOW_MINUTES, server_default=text(str(ANSWER_WINDOW_MINUTES))
    )
    rank: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class ServiceItem(TenantScoped, Base):
    """An item under a category (120+ in Jiaxing), handled on the spot or by proxy (DSP-03, DSP-26)."""

    __tablename__ = "service_item"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_service_item_tenant_code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    category_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service_category.id", ondelete="CASCADE"), nullable=False
    )
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    handling: Mapped[str] = mapped_column(String(10), nullable=False, default="on_spot")  # on_spot | proxy
    skill: Mapped[str | None] = mapped_column(String(40))  # the provider skill that fits this item
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class LadderLevel(TenantScoped, Base):
    """One rung of the district's escalation ladder (DSP-14); rank 0 is the grid."""

    __tablename__ = "ladder_level"
    __table_args__ = (UniqueConstraint("tenant_id", "rank", name="uq_ladder_level_tenant_rank"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    rank: Mapped[int] = mapped_column(Integer, nullable=False)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    # Which unit of the tree owns the case at this rung: grid, village (community), street or district.
    org_level: Mapped[str] = mapped_column(String(20), nullable=False)
    resolution_minutes: Mapped[int | None] = mapped_column(Integer)  # None: the category's limit
    issues_referral: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)  # street supervision
