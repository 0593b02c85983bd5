"""Assessments (TRN-11): the district's indicator sets ("double-hundred" 双百分: organisations in 6 domains × 7
indicator types, members in 5 types), score sheets (a subject's scores per indicator for a period, by kind: the
member's semiannual self-evaluation, the party group's evaluation, the branch's assessment; an organisation's own
and its superior's), and the year-end democratic poll of a member.

The poll keeps its voters and its counters apart as the duty review's poll does (reviews/models.py): who voted
(``assessment_poll_voter``: no grade, no time) and how many gave each grade (``assessment_poll_tally``: no voter)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, Timestamped, uuid7

ONE_SET_CODE = "uq_assessment_set_tenant_code"
ONE_SHEET = "uq_assessment_sheet_tenant_set_subject_period_kind"
ONE_POLL = "uq_assessment_poll_tenant_person_year"


class SheetKind(StrEnum):
    SELF = "self"  # the member's (or organisation's) own evaluation
    GROUP = "group"  # the party group's evaluation of a member
    BRANCH = "branch"  # the branch's assessment of a member
    SUPERIOR = "superior"  # the superior committee's assessment of an organisation


class IndicatorSet(TenantScoped, Base):
    """A set of indicators with their maximum scores, for organisations of one domain or for members."""

    __tablename__ = "assessment_set"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name=ONE_SET_CODE),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(60), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    subject_kind: Mapped[str] = mapped_column(String(20), nullable=False)  # organisation | member
    domain: Mapped[str | None] = mapped_column(String(20))  # organisations: rural, community, enterprise, ...
    indicators: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)  # [{code, name, maxScore}]
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class ScoreSheet(TenantScoped, Timestamped, Base):
    """One subject's scores per indicator of a set for a period, by one kind of assessor, and their total."""

    __tablename__ = "assessment_sheet"
    __table_args__ = (
        UniqueConstraint("tenant_id", "set_id", "subject_id", "period", "kind", name=ONE_SHEET),
        Index("ix_assessment_sheet_tenant_period_path", "tenant_id", "period", "subject_path"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    set_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment_set.id", ondelete="RESTRICT"), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    period: Mapped[str] = mapped_column(String(10), nullable=False)  # "2026H1" (semiannual) or "2026"
    subject_kind: Mapped[str] = mapped_column(String(20), nullable=False)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    subject_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # orgtree's unit id or member id
    subject_path: Mapped[str] = mapped_column(PATH, nullable=False)
    subject_name: Mapped[str] = mapped_column(String(200), nullable=False)
    scores: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)  # indicator code: score
    total: Mapped[Decimal] = mapped_column(Numeric(6, 2), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    scored_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    scored_by_name: Mapped[str | None] = mapped_column(String(100))


class DemocraticPoll(TenantScoped, Base):
    """A member's year-end democratic poll (民主评议党员): open while members under ``subject_path``'s branch vote."""

    __tablename__ = "assessment_poll"
    __table_args__ = (UniqueConstraint("tenant_id", "person_id", "year", name=ONE_POLL),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), nullable=False)
    subject_name: Mapped[str] = mapped_column(String(100), nullable=False)
    subject_path: Mapped[str] = mapped_column(PATH, nullable=False)  # the member's branch: its members vote
    year: Mapped[str] = mapped_column(String(4), nullable=False)
    open: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    opened_by_name: Mapped[str | None] = mapped_column(String(100))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AssessmentPollVoter(TenantScoped, Base):
    __tablename__ = "assessment_poll_voter"

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    poll_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment_poll.id", ondelete="CASCADE"), primary_key=True)
    voter_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)


class AssessmentPollTally(TenantScoped, Base):
    __tablename__ = "assessment_poll_tally"

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    poll_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment_poll.id", ondelete="CASCADE"), primary_key=True)
    grade: Mapped[str] = mapped_column(String(30), primary_key=True)
    votes: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
