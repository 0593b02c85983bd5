"""The points ledger (TRN-07, EVT-06, EVT-09, EVT-19): the district's categories with their crediting rules, the
append-only entries, and credits waiting for a person training does not know yet.

The ledger is the evaluation record (performance reports, star ratings); dispatch's time bank stays the account
volunteers redeem from. Each source (a completed service, a fulfilled wish, an attendance, a hand entry) credits at
most one entry: ``(tenant, source_kind, source_id)`` is unique, so a redelivered or replayed event adds nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7

ONE_PER_SOURCE = "uq_points_entry_tenant_source"
ONE_PENDING_PER_SOURCE = "uq_points_pending_tenant_source"


class Rule(StrEnum):
    """How an event's points are worked out (the category's ``points`` is the district's number)."""

    FROM_EVENT = "from_event"  # as the event says (dispatch's service points: 10 an hour of service)
    FIXED = "fixed"  # ``points`` each time
    PER_HOUR = "per_hour"  # ``points`` per hour of service or credit hour, rounded half up
    MANUAL = "manual"  # no event credits it: entries by hand only


class PointsCategory(TenantScoped, Base):
    """One kind of points the district counts (service, wishes, attendance, visits ...) and how it is credited."""

    __tablename__ = "points_category"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code", name="uq_points_category_tenant_code"),
        # one category per crediting event, so an event knows where its points go
        Index(
            "uq_points_category_tenant_source",
            "tenant_id",
            "source",
            unique=True,
            postgresql_where=text("source IS NOT NULL"),
        ),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    source: Mapped[str | None] = mapped_column(String(60))  # the event's name; None: by hand only
    rule: Mapped[str] = mapped_column(String(20), nullable=False)
    points: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class PointsEntry(TenantScoped, Base):
    """One credit (or, by hand, a correction) to a person. Append-only: a mistake is corrected by a new entry."""

    __tablename__ = "points_entry"
    __table_args__ = (
        UniqueConstraint("tenant_id", "source_kind", "source_id", name=ONE_PER_SOURCE),
        Index("ix_points_entry_tenant_person", "tenant_id", "person_id", "occurred_at", "id"),
        Index("ix_points_entry_tenant_occurred", "tenant_id", "occurred_at"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), nullable=False)
    category: Mapped[str] = mapped_column(String(40), nullable=False)  # a PointsCategory code
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    # what credited it: an event's name and the id of what it is about (ticket, wish, attendance), or
    # "manual" and the entry's own id
    source_kind: Mapped[str] = mapped_column(String(60), nullable=False)
    source_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)  # counts in its period
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    recorded_by: Mapped[uuid.UUID | None] = mapped_column()  # by hand: the organiser
    recorded_by_name: Mapped[str | None] = mapped_column(String(100))


class PendingCredit(TenantScoped, Base):
    """A credit for a member or account training has not heard of yet (orgtree's event may come after
    dispatch's): kept with the points worked out when the event came, and entered once the person arrives."""

    __tablename__ = "points_pending"
    __table_args__ = (
        UniqueConstraint("tenant_id", "source_kind", "source_id", name=ONE_PENDING_PER_SOURCE),
        Index("ix_points_pending_tenant_member", "tenant_id", "member_id"),
        Index("ix_points_pending_tenant_user", "tenant_id", "user_id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID | None] = mapped_column()
    user_id: Mapped[uuid.UUID | None] = mapped_column()
    category: Mapped[str] = mapped_column(String(40), nullable=False)
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    source_kind: Mapped[str] = mapped_column(String(60), nullable=False)
    source_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
