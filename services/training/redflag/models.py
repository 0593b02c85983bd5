"""The Red Flag Community evaluation (TRN-14, seed 003): a community's evaluation for a year walks from its
self-check and application through the street's recommendation (or return) and the district's acceptance (site
visit, document review, interviews) to the decision, which awards the 红旗社区 title (``TitleAwarded``) or refuses
it, with the recommendation to the city. Each step is kept as a row of ``red_flag_step``: who did what, when."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, Timestamped, uuid7

ONE_EVALUATION_PER_YEAR = "uq_red_flag_evaluation_tenant_unit_year"


class EvaluationState(StrEnum):
    SELF_CHECK = "self_check"  # the community checks itself against the standard
    APPLIED = "applied"  # the community applied; the street evaluates
    RETURNED = "returned"  # the street sent it back with its reason; the community applies again
    RECOMMENDED = "recommended"  # the street recommended it to the district
    ACCEPTED = "accepted"  # the district's acceptance (site visit, documents, interviews) is recorded
    AWARDED = "awarded"  # decided: the title is awarded
    REFUSED = "refused"  # decided: not this year


class RedFlagEvaluation(TenantScoped, Timestamped, Base):
    """One community's evaluation for one year, with what each step recorded."""

    __tablename__ = "red_flag_evaluation"
    __table_args__ = (
        UniqueConstraint("tenant_id", "unit_id", "year", name=ONE_EVALUATION_PER_YEAR),
        Index("ix_red_flag_evaluation_tenant_path", "tenant_id", "unit_path", "year"),
        Index("ix_red_flag_evaluation_tenant_year", "tenant_id", "year", "state"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    # orgtree's community; None only for the demo's sample evaluations (training's demo has no orgtree ids)
    unit_id: Mapped[uuid.UUID | None] = mapped_column()
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    unit_name: Mapped[str] = mapped_column(String(200), nullable=False)
    year: Mapped[str] = mapped_column(String(4), nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=EvaluationState.SELF_CHECK)
    self_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))  # out of 100
    self_check_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    application_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    street_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    street_opinion: Mapped[str] = mapped_column(Text, nullable=False, default="")
    returned_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    site_visit_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    document_review_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    interviews_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    acceptance_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    decision_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recommended_to_city: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    award_id: Mapped[uuid.UUID | None] = mapped_column()  # training's award row, when awarded
    created_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    created_by_name: Mapped[str | None] = mapped_column(String(100))


class EvaluationStep(TenantScoped, Base):
    """One step taken on an evaluation: the action, the state it led to, the note and who took it."""

    __tablename__ = "red_flag_step"
    __table_args__ = (Index("ix_red_flag_step_tenant_evaluation", "tenant_id", "evaluation_id", "taken_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    evaluation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("red_flag_evaluation.id", ondelete="CASCADE"), nullable=False
    )
    action: Mapped[str] = mapped_column(String(20), nullable=False)  # create | apply | recommend | return | ...
    state: Mapped[str] = mapped_column(String(20), nullable=False)  # the state the step led to
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    taken_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    taken_by_name: Mapped[str | None] = mapped_column(String(100))
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
