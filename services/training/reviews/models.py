"""Secretary duty reviews (TRN-12, Fuzhou's 查述问评): monthly rounds that draw branch secretaries at random, each
drawn secretary's review (questionnaire results, the 8-minute report, the question list, the organiser's
conclusion) and its anonymous poll.

The poll keeps two things that never meet: who has voted (``duty_poll_voter``, no grades, no time) and how many
votes each grade of each aspect has (``duty_poll_tally``, counters, no voter, no time). A vote adds the voter's row
and increments seven counters in one transaction; nothing stored says which counters a voter incremented.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import PATH, Base, tenant_column
from shared.context import require_tenant
from shared.db.base import TenantScoped, Timestamped, uuid7

ONE_ROUND_PER_UNIT_MONTH = "uq_duty_review_round_tenant_month_unit"
ONE_VOTE_PER_VOTER = "pk_duty_poll_voter"


class ReviewState(StrEnum):
    DRAWN = "drawn"  # selected; results, report and questions are entered
    POLLING = "polling"  # the anonymous poll is open
    FINALISED = "finalised"  # the conclusion is written; the poll is closed and nothing changes any more


class ReviewSettings(TenantScoped, Base):
    """The district's duty-review settings; a district without a row draws 5 secretaries a month."""

    __tablename__ = "duty_review_settings"

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=require_tenant)
    monthly_count: Mapped[int] = mapped_column(Integer, nullable=False)


class ReviewRound(TenantScoped, Timestamped, Base):
    """One month's draw of branch secretaries under a unit; the seed and the candidates make it reproducible."""

    __tablename__ = "duty_review_round"
    __table_args__ = (
        UniqueConstraint("tenant_id", "month", "unit_path", name=ONE_ROUND_PER_UNIT_MONTH),
        Index("ix_duty_review_round_tenant_unit", "tenant_id", "unit_path", "id"),
        Index("ix_duty_review_round_tenant_created", "tenant_id", "created_at", "id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    month: Mapped[str] = mapped_column(String(7), nullable=False)  # "2026-11"
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)  # secretaries drawn from under it
    unit_name: Mapped[str] = mapped_column(String(200), nullable=False)
    requested: Mapped[int] = mapped_column(Integer, nullable=False)  # how many to draw
    seed: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # the eligible secretaries' person ids in the order drawn from (sorted): with the seed, the draw again
    candidate_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()), nullable=False)
    excluded_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()), nullable=False)  # last month's
    created_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    created_by_name: Mapped[str | None] = mapped_column(String(100))


class DutyReview(TenantScoped, Timestamped, Base):
    """One drawn secretary's review: 查 (questionnaire results), 述 (the report and its length), 问 (questions, their
    own table), 评 (the poll's tallies and the organiser's conclusion, the 点评报告)."""

    __tablename__ = "duty_review"
    __table_args__ = (
        UniqueConstraint("tenant_id", "round_id", "person_id", name="uq_duty_review_tenant_round_person"),
        Index("ix_duty_review_tenant_round", "tenant_id", "round_id", "secretary_name"),
        Index("ix_duty_review_tenant_person", "tenant_id", "person_id"),
        Index("ix_duty_review_tenant_state", "tenant_id", "state"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("duty_review_round.id", ondelete="CASCADE"), nullable=False)
    # None only for the demo's sample secretaries, who have no record (members arrive from orgtree's events)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    secretary_name: Mapped[str] = mapped_column(String(100), nullable=False)
    branch_path: Mapped[str] = mapped_column(PATH, nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=ReviewState.DRAWN)
    questionnaire_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))  # out of 100
    questionnaire_count: Mapped[int | None] = mapped_column(Integer)  # questionnaires returned
    questionnaire_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    report_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    report_seconds: Mapped[int | None] = mapped_column(Integer)  # the report's length (8 minutes allowed)
    conclusion: Mapped[str] = mapped_column(Text, nullable=False, default="")
    poll_opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finalised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finalised_by_name: Mapped[str | None] = mapped_column(String(100))


class ReviewQuestion(TenantScoped, Base):
    """One question of the list: asked (提问), followed up (追问) or challenged (质问), and the secretary's answer."""

    __tablename__ = "duty_review_question"
    __table_args__ = (Index("ix_duty_review_question_tenant_review", "tenant_id", "review_id", "position"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("duty_review.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # ask | follow_up | challenge
    question: Mapped[str] = mapped_column(Text, nullable=False)
    answer: Mapped[str] = mapped_column(Text, nullable=False, default="")
    asked_by_name: Mapped[str | None] = mapped_column(String(100))


class PollVoter(TenantScoped, Base):
    """That someone voted in a review's poll: nothing about what, nor when."""

    __tablename__ = "duty_poll_voter"

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("duty_review.id", ondelete="CASCADE"), primary_key=True)
    voter_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # the gateway account


class PollTally(TenantScoped, Base):
    """How many voters gave a grade to an aspect of a review: 7 aspects × 4 grades rows, made when the poll opens."""

    __tablename__ = "duty_poll_tally"

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("duty_review.id", ondelete="CASCADE"), primary_key=True)
    aspect: Mapped[str] = mapped_column(String(40), primary_key=True)
    grade: Mapped[str] = mapped_column(String(20), primary_key=True)
    votes: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
