"""Honours and discipline on units and members: star levels and titles (EVT-13), warnings (EVT-01) and what
became of a failed re-education (EVT-02)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import Base
from shared.db.base import TenantScoped, uuid7


class StarLevel(TenantScoped, Base):
    """A star level (1-5) published by training for a unit (village branch, grid party group) or a member.
    The latest published is the current one; one row per rating entry, so a redelivery adds nothing."""

    __tablename__ = "star_level"
    __table_args__ = (
        UniqueConstraint("tenant_id", "entry_id", name="uq_star_level_tenant_entry"),
        Index("ix_star_level_subject", "tenant_id", "subject_id", "published_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    subject_kind: Mapped[str] = mapped_column(String(20), nullable=False)  # village_branch | grid_group | member
    subject_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # org node id or member id
    rating_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    entry_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    period: Mapped[str] = mapped_column(String(10), nullable=False)
    level: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class HonourTitle(TenantScoped, Base):
    """A title (最美红色细胞, 红旗社区, 最强支部 ...) awarded by training to a unit or member for a period."""

    __tablename__ = "honour_title"
    __table_args__ = (
        UniqueConstraint("tenant_id", "award_id", name="uq_honour_title_tenant_award"),
        Index("ix_honour_title_subject", "tenant_id", "subject_id", "awarded_on"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    subject_kind: Mapped[str] = mapped_column(String(20), nullable=False)  # unit | member
    subject_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    award_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    title: Mapped[str] = mapped_column(String(60), nullable=False)
    title_name: Mapped[str] = mapped_column(String(100), nullable=False)
    period: Mapped[str] = mapped_column(String(10), nullable=False)
    awarded_on: Mapped[date] = mapped_column(Date, nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class RedFlagTarget(TenantScoped, Base):
    """The district's target share of communities holding the Red Flag title in a year (ORG-21); a district
    with no row keeps the seed's 30 / 60 / 100 % for 2020 / 2021 / 2022 (honours/coverage.py)."""

    __tablename__ = "red_flag_target"
    __table_args__ = (UniqueConstraint("tenant_id", "year", name="uq_red_flag_target_year"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    year: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    percent: Mapped[int] = mapped_column(SmallInteger, nullable=False)


class MemberWarning(TenantScoped, Base):
    """A warning given to a member (4.7 item 3): each row published one ``MemberWarned``."""

    __tablename__ = "member_warning"
    __table_args__ = (Index("ix_member_warning_member", "tenant_id", "member_id", "warned_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # outlives the member row (history)
    warned_on: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)  # None: the "warned" flag was set on the record itself
    recorded_by: Mapped[uuid.UUID | None] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class DispositionState:
    TRANSFERRED = "transferred"  # moved to the street organ branch, flagged unqualified
    PENDING = "pending"  # could not be carried out yet (no organ branch, member gone ...): shown until resolved


class Disposition(TenantScoped, Base):
    """What orgtree did with a member training found still unqualified after re-education (EVT-02): one row per
    case, so a redelivered event finds it; a pending row says why and waits to be retried."""

    __tablename__ = "disposition"
    __table_args__ = (
        UniqueConstraint("tenant_id", "case_id", name="uq_disposition_tenant_case"),
        Index("ix_disposition_state", "tenant_id", "state", "recorded_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    case_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # training's re-education case
    member_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    concluded_on: Mapped[date] = mapped_column(Date, nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False)
    to_branch_id: Mapped[uuid.UUID | None] = mapped_column()
    problem: Mapped[str | None] = mapped_column(Text)  # why it is pending
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
