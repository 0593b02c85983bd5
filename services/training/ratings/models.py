"""Star ratings (TRN-08) and titles (TRN-10): the district's criteria templates, rating rounds with their public
notice (公示) and objections, and the titles awarded to units and members.

A round copies its template's criteria and thresholds when it is made, so a district editing the template later
does not change a round already scored or on notice. The notice period is a row's time (``notice_ends_at``): tests
and a district's correction move it in the database, never the clock.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import PATH, Base, tenant_column
from shared.context import require_tenant
from shared.db.base import TenantScoped, Timestamped, uuid7

ONE_ENTRY_PER_SUBJECT = "uq_rating_entry_tenant_rating_subject"
ONE_AWARD_PER_PERIOD = "uq_award_tenant_title_subject_period"


class SubjectKind(StrEnum):
    VILLAGE_BRANCH = "village_branch"
    GRID_GROUP = "grid_group"  # a grid party group
    MEMBER = "member"


class RatingState(StrEnum):
    DRAFT = "draft"  # entries are scored
    IN_NOTICE = "in_notice"  # on the public-notice board; objections may be raised
    PUBLISHED = "published"  # StarRatingPublished went out for every entry


class RatingTemplate(TenantScoped, Timestamped, Base):
    """The district's criteria for one kind of subject (from 五好 / 四讲四有) and the thresholds of stars 2 to 5."""

    __tablename__ = "rating_template"
    __table_args__ = (
        # the seeded templates carry a code, so seeding again adds only the missing ones
        Index(
            "uq_rating_template_tenant_code",
            "tenant_id",
            "code",
            unique=True,
            postgresql_where=text("code IS NOT NULL"),
        ),
        Index("ix_rating_template_tenant_kind", "tenant_id", "subject_kind", "name"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    subject_kind: Mapped[str] = mapped_column(String(20), nullable=False)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)  # [{code, name, maxScore}]
    levels: Mapped[list[float]] = mapped_column(JSONB, nullable=False)  # thresholds of 2..5 stars, out of 100
    level_notes: Mapped[list[str]] = mapped_column(JSONB, nullable=False)  # the reward or penalty of 1..5 stars


class StarRating(TenantScoped, Timestamped, Base):
    """One rating round: the subjects of a kind under a unit, for a half-year or a year."""

    __tablename__ = "star_rating"
    __table_args__ = (
        Index("ix_star_rating_tenant_unit_path", "tenant_id", "unit_path", "id"),
        Index("ix_star_rating_tenant_state", "tenant_id", "state", "notice_ends_at"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    subject_kind: Mapped[str] = mapped_column(String(20), nullable=False)
    period: Mapped[str] = mapped_column(String(10), nullable=False)  # "2026H1" or "2026"
    template_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("rating_template.id", ondelete="RESTRICT"), nullable=False
    )
    template_name: Mapped[str] = mapped_column(String(100), nullable=False)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)  # the template's, when made
    levels: Mapped[list[float]] = mapped_column(JSONB, nullable=False)
    level_notes: Mapped[list[str]] = mapped_column(JSONB, nullable=False)
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)  # every subject lies under it
    notice_days: Mapped[int] = mapped_column(Integer, nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=RatingState.DRAFT)
    notice_starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notice_ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    created_by_name: Mapped[str | None] = mapped_column(String(100))


class RatingEntry(TenantScoped, Timestamped, Base):
    """One subject's scores in a round, its level, and the inputs the organiser scored from (kept as they were)."""

    __tablename__ = "rating_entry"
    __table_args__ = (
        UniqueConstraint("tenant_id", "rating_id", "subject_id", name=ONE_ENTRY_PER_SUBJECT),
        Index("ix_rating_entry_tenant_rating_level", "tenant_id", "rating_id", "level", "subject_name"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    rating_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("star_rating.id", ondelete="CASCADE"), nullable=False)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    unit_id: Mapped[uuid.UUID | None] = mapped_column()
    subject_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # orgtree's unit id or the member's member id
    subject_path: Mapped[str] = mapped_column(PATH, nullable=False)
    subject_name: Mapped[str] = mapped_column(String(200), nullable=False)
    scores: Mapped[dict[str, float]] = mapped_column(JSONB, nullable=False)
    total: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)  # out of 100
    level: Mapped[int] = mapped_column(Integer, nullable=False)
    note: Mapped[str] = mapped_column(String(500), nullable=False)
    commitment_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    services: Mapped[int] = mapped_column(Integer, nullable=False)
    service_points: Mapped[int] = mapped_column(Integer, nullable=False)
    warnings: Mapped[int] = mapped_column(Integer, nullable=False)
    scored_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    scored_by_name: Mapped[str | None] = mapped_column(String(100))


class RatingObjection(TenantScoped, Base):
    """An objection to an entry raised during the notice; the round is published only once each is answered."""

    __tablename__ = "rating_objection"
    __table_args__ = (Index("ix_rating_objection_tenant_rating", "tenant_id", "rating_id", "raised_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    rating_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("star_rating.id", ondelete="CASCADE"), nullable=False)
    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rating_entry.id", ondelete="CASCADE"), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    raised_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    raised_by_name: Mapped[str | None] = mapped_column(String(100))
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[uuid.UUID | None] = mapped_column()
    answered_by_name: Mapped[str | None] = mapped_column(String(100))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AwardTitle(TenantScoped, Base):
    """A title the district awards (最美红色细胞, 红旗社区, 最强党支部 ...) and to what kind of subject."""

    __tablename__ = "award_title"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_award_title_tenant_code"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    subject_kind: Mapped[str] = mapped_column(String(10), nullable=False)  # unit | member
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class Award(TenantScoped, Base):
    """A title given to a unit or member for a period: the award history of each (TRN-10)."""

    __tablename__ = "award"
    __table_args__ = (
        UniqueConstraint("tenant_id", "title", "subject_id", "period", name=ONE_AWARD_PER_PERIOD),
        Index("ix_award_tenant_subject", "tenant_id", "subject_id", "awarded_on"),
        Index("ix_award_tenant_awarded", "tenant_id", "awarded_on", "id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    title: Mapped[str] = mapped_column(String(40), nullable=False)
    title_name: Mapped[str] = mapped_column(String(60), nullable=False)
    subject_kind: Mapped[str] = mapped_column(String(10), nullable=False)  # unit | member
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    unit_id: Mapped[uuid.UUID | None] = mapped_column()
    subject_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # orgtree's unit id or member id
    subject_path: Mapped[str] = mapped_column(PATH, nullable=False)
    subject_name: Mapped[str] = mapped_column(String(200), nullable=False)
    period: Mapped[str] = mapped_column(String(10), nullable=False)
    awarded_on: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    awarded_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    awarded_by_name: Mapped[str | None] = mapped_column(String(100))


class RatingSettings(TenantScoped, Base):
    """The district's rating settings; a district without a row has the defaults."""

    __tablename__ = "rating_settings"

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=require_tenant)
    notice_days: Mapped[int] = mapped_column(Integer, nullable=False)
