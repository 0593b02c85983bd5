"""Micro-visits (微走访, DSP-24) and the visit tasks of the eight mandatory visits (八个必访, DSP-25)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class Visit(TenantScoped, Base):
    """One visit of a member (or a grid leader or cadre) to a household they serve: when, how and what was found."""

    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_household", "tenant_id", "household_id", "visited_at"),
        Index("ix_visit_member", "tenant_id", "member_id", "visited_at"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    household_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    grid_id: Mapped[uuid.UUID | None] = mapped_column()
    grid_path: Mapped[str | None] = mapped_column(PATH)  # staff see the visits of their subtree
    member_id: Mapped[uuid.UUID | None] = mapped_column()  # the visiting member; None for staff who are not members
    visitor_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    recorded_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    visited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    channel: Mapped[str] = mapped_column(String(12), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class VisitMatter(TenantScoped, Base):
    """一事一记: one matter found on a visit, kept as a note or turned into a ticket for the hotline's routing."""

    __tablename__ = "visit_matter"
    __table_args__ = (Index("ix_visit_matter_visit", "tenant_id", "visit_id", "position"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    summary: Mapped[str] = mapped_column(String(200), nullable=False)
    outcome: Mapped[str] = mapped_column(String(8), nullable=False)  # ticket | note
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"))
    ticket_number: Mapped[str | None] = mapped_column(String(30))


class VisitTask(TenantScoped, Base):
    """A mandatory visit owed to a household after orgtree recorded one of the eight events: due by ``due_at``
    (the deadline is this row), closed by the first visit to the household recorded after the event."""

    __tablename__ = "visit_task"
    __table_args__ = (
        UniqueConstraint("tenant_id", "source_event_id", "member_id", name="uq_visit_task_event_member"),
        Index("ix_visit_task_household", "tenant_id", "household_id"),
        Index("ix_visit_task_open_due", "tenant_id", "due_at", postgresql_where=text("closed_at IS NULL")),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    source_event_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # orgtree's household event
    household_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    grid_id: Mapped[uuid.UUID | None] = mapped_column()
    grid_path: Mapped[str | None] = mapped_column(PATH)
    member_id: Mapped[uuid.UUID | None] = mapped_column()  # None: nobody serves the household and no grid leader
    assigned_as: Mapped[str] = mapped_column(String(12), nullable=False)  # linked | grid_leader | nobody
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by_visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id", ondelete="SET NULL"))
