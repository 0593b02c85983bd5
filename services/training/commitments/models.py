"""Commitments (承诺, TRN-09): a grid party group's (from the annual plan) or a member's (from their post or skill)
promise for a year, taken through define (定诺) -> publish (亮诺) -> fulfil (践诺) -> evaluate (评诺). The
evaluation score is what the period's star rating waits for."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Numeric, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, Timestamped, uuid7


class HolderKind(StrEnum):
    PARTY_GROUP = "party_group"  # a grid party group: the unit is orgtree's, named by the caller
    MEMBER = "member"


class Basis(StrEnum):
    ANNUAL_PLAN = "annual_plan"  # a party group's commitments follow its annual plan
    POST = "post"  # a member's follow their post (设岗定责) ...
    SKILL = "skill"  # ... or what they are good at


class State(StrEnum):
    DEFINED = "defined"
    PUBLISHED = "published"
    FULFILLING = "fulfilling"
    EVALUATED = "evaluated"


class Commitment(TenantScoped, Timestamped, Base):
    """One commitment. ``holder_path`` is where it sits in the trees (the unit's path, or the member's grid path,
    else branch path) so that a scope reads its range of C-collated paths; a member's also carries ``branch_path``."""

    __tablename__ = "commitment"
    __table_args__ = (
        Index("ix_commitment_tenant_period_path", "tenant_id", "period", "holder_path", "id"),
        Index("ix_commitment_tenant_path", "tenant_id", "holder_path", "id"),
        Index("ix_commitment_tenant_branch_path", "tenant_id", "branch_path", "id"),
        Index("ix_commitment_tenant_person", "tenant_id", "person_id", "period"),
        Index("ix_commitment_tenant_unit", "tenant_id", "unit_id", "period"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
        CheckConstraint(
            "(holder_kind = 'member' AND person_id IS NOT NULL AND unit_id IS NULL)"
            " OR (holder_kind = 'party_group' AND unit_id IS NOT NULL AND person_id IS NULL)",
            name="one_holder",
        ),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    holder_kind: Mapped[str] = mapped_column(String(20), nullable=False)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    unit_id: Mapped[uuid.UUID | None] = mapped_column()  # orgtree's unit id: training has no unit table
    holder_path: Mapped[str] = mapped_column(PATH, nullable=False)
    holder_name: Mapped[str] = mapped_column(String(200), nullable=False)
    # a member's branch too (their holder_path is their grid): branch organisers and branch-mates find it by either tree
    branch_path: Mapped[str | None] = mapped_column(PATH)
    period: Mapped[str] = mapped_column(String(10), nullable=False)  # the year, "2026"
    title: Mapped[str] = mapped_column(String(100), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    basis: Mapped[str] = mapped_column(String(20), nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=State.DEFINED)
    letter_document_id: Mapped[uuid.UUID | None] = mapped_column()  # the scanned letter, once documents exists
    defined_by: Mapped[uuid.UUID | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    comment: Mapped[str | None] = mapped_column(String(1000))
    evaluated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    evaluated_by: Mapped[uuid.UUID | None] = mapped_column()
    evaluated_by_name: Mapped[str | None] = mapped_column(String(100))


class ProgressNote(TenantScoped, Base):
    """A dated note on how a published commitment is being kept (践诺). Append-only."""

    __tablename__ = "commitment_progress"
    __table_args__ = (Index("ix_commitment_progress_tenant_commitment", "tenant_id", "commitment_id", "noted_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    commitment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commitment.id", ondelete="RESTRICT"), nullable=False)
    note: Mapped[str] = mapped_column(String(1000), nullable=False)
    noted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    noted_by: Mapped[uuid.UUID | None] = mapped_column()
    noted_by_name: Mapped[str | None] = mapped_column(String(100))
