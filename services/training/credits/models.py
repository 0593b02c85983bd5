"""The district's credit rules, the per-person totals per year, and the roll the below-target list reads.

Both ``credit_total`` and ``credit_roll`` are kept by triggers (migration 0003) in the transaction that changes a
person or an attendance, whatever writes it (orgtree's events, QR check-in, by hand, a loader): the list of a
million-member district then reads one narrow row per person instead of joining people to a year of attendance
(docs/benchmarks.md, "Training standing").
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, DateTime, Index, Integer, Numeric, SmallInteger, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class CreditRule(TenantScoped, Base):
    """A district's value for one of the rules in ``credits/rules.py`` (who it applies to and what it measures are
    fixed there; the district sets the number, the rolling window and whether the rule is in force)."""

    __tablename__ = "credit_rule"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_credit_rule_tenant_code"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    required: Mapped[Decimal] = mapped_column(Numeric(6, 1), nullable=False)
    window_years: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=1)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    updated_by: Mapped[uuid.UUID | None] = mapped_column()


class CreditTotal(TenantScoped, Base):
    """What one person attended in one calendar year (Asia/Shanghai), summed as attendance is recorded."""

    __tablename__ = "credit_total"

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    credit_hours: Mapped[Decimal] = mapped_column(Numeric(7, 1), nullable=False)
    sessions: Mapped[int] = mapped_column(Integer, nullable=False)
    classes: Mapped[int] = mapped_column(Integer, nullable=False)  # sessions that count "secretary_class"


class CreditRoll(TenantScoped, Base):
    """One row per person: the facts the rules depend on (copied from ``person``), the totals of the latest year
    the person attended anything, and the first pre-service training. Written by triggers only."""

    __tablename__ = "credit_roll"
    __table_args__ = (
        Index("ix_credit_roll_tenant_branch_path", "tenant_id", "branch_path", "person_id"),
        Index("ix_credit_roll_tenant_grid_path", "tenant_id", "grid_path", "person_id"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    duties: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False)
    flags: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)
    branch_path: Mapped[str | None] = mapped_column(PATH)
    grid_path: Mapped[str | None] = mapped_column(PATH)
    year: Mapped[int | None] = mapped_column(SmallInteger)  # the latest year with attendance (None: none yet)
    credit_hours: Mapped[Decimal] = mapped_column(Numeric(7, 1), nullable=False, server_default="0")
    classes: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    pre_service_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
