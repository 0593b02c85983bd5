"""Accountability records (督查问责, EVT-04): one per overdue warning dispatch gives, against the unit answerable for
the case at that rung and, when a member volunteer held the order, against that member. Append-only: they are
the facts assessments and star ratings read later."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7

ONE_PER_WARNING = "uq_accountability_record_tenant_warning"


class AccountabilityRecord(TenantScoped, Base):
    """A yellow or red warning on one clock of one case. The same warning delivered again (or replayed) is the
    same record: a ticket's clock of a kind, at a rung, due at a time, warns once."""

    __tablename__ = "accountability_record"
    __table_args__ = (
        UniqueConstraint("tenant_id", "ticket_id", "warning", "clock", "level", "due_at", name=ONE_PER_WARNING),
        Index("ix_accountability_record_tenant_warned", "tenant_id", "warned_at", "id"),
        Index("ix_accountability_record_tenant_unit_path", "tenant_id", "unit_path", "warned_at"),
        Index("ix_accountability_record_tenant_member", "tenant_id", "member_id", "warned_at"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    warning: Mapped[str] = mapped_column(String(10), nullable=False)  # yellow | red
    clock: Mapped[str] = mapped_column(String(20), nullable=False)  # sign_for | arrival | resolution | referral
    level: Mapped[int] = mapped_column(Integer, nullable=False)  # the ladder rung the case was at
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    warned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    unit_id: Mapped[uuid.UUID | None] = mapped_column()
    unit_path: Mapped[str | None] = mapped_column(PATH)  # None: dispatch could not place the unit in the tree
    unit_name: Mapped[str | None] = mapped_column(String(200))
    provider_id: Mapped[uuid.UUID | None] = mapped_column()
    member_id: Mapped[uuid.UUID | None] = mapped_column()  # a member volunteer held the order
