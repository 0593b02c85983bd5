"""Returns of a ticket by the unit it is placed on (退单, DSP-18), with the jurisdiction evidence the unit cites, and
the arbitration (退单审定) by the unit above it, ruled within the district's limit or passed one rung further up."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7

# The ruling clock is a ``deadline`` row of this kind (swept with the others: deadlines/overdue.py).
ARBITRATION = "arbitration"
DEFAULT_RULING_MINUTES = 18 * 60  # two working days of the default 08:30-17:30 calendar
DEFAULT_WORKING_TIME = True


class Basis(StrEnum):
    """The jurisdiction evidence a return cites."""

    GRID_BOUNDARY = "grid_boundary"  # the place lies inside another grid's boundary
    RESPONSIBILITY_LIST = "responsibility_list"  # the catalogue item belongs to another unit by the list


class ReturnState(StrEnum):
    PENDING = "pending"  # waiting for the ruling unit
    UPHELD = "upheld"  # the ticket went to the unit the ruling named
    REJECTED = "rejected"  # the ticket stays with the returning unit


class TicketReturn(TenantScoped, Base):
    """One return of a ticket by the unit it was placed on, its evidence and its ruling. A ticket has at most one
    pending return; ping-pong shows as several rows of one ticket."""

    __tablename__ = "ticket_return"
    __table_args__ = (
        Index("ix_ticket_return_ticket", "tenant_id", "ticket_id", "filed_at"),
        Index("ix_ticket_return_ruling", "tenant_id", "state", "ruling_unit_path"),
        Index(
            "uq_ticket_return_pending",
            "tenant_id",
            "ticket_id",
            unique=True,
            postgresql_where=text("state = 'pending'"),
        ),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"), nullable=False)
    state: Mapped[str] = mapped_column(String(10), nullable=False, default=ReturnState.PENDING)
    # The unit that returns the ticket (the one it was placed on), as the directory named it then.
    returning_unit_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    returning_unit_name: Mapped[str] = mapped_column(String(200), nullable=False)
    returning_unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    # Its evidence: the basis, the grid or catalogue item it points at, and the cited text.
    basis: Mapped[str] = mapped_column(String(20), nullable=False)
    evidence_grid_id: Mapped[uuid.UUID | None] = mapped_column()
    evidence_grid_name: Mapped[str | None] = mapped_column(String(200))
    evidence_item_id: Mapped[uuid.UUID | None] = mapped_column()
    evidence_item_name: Mapped[str | None] = mapped_column(String(60))
    citation: Mapped[str] = mapped_column(Text, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    proposed_unit_id: Mapped[uuid.UUID | None] = mapped_column()
    proposed_unit_name: Mapped[str | None] = mapped_column(String(200))
    filed_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    filed_by_name: Mapped[str | None] = mapped_column(String(80))
    filed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # The unit that must rule: the returning unit's parent, one rung further up each time it lets the limit pass.
    ruling_unit_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    ruling_unit_name: Mapped[str] = mapped_column(String(200), nullable=False)
    ruling_unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    deadline_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("deadline.id", ondelete="SET NULL"))
    escalations: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # The ruling.
    ruled_by: Mapped[uuid.UUID | None] = mapped_column()
    ruled_by_name: Mapped[str | None] = mapped_column(String(80))
    ruled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ruling_note: Mapped[str | None] = mapped_column(Text)
    assigned_unit_id: Mapped[uuid.UUID | None] = mapped_column()
    assigned_unit_name: Mapped[str | None] = mapped_column(String(200))


class ReturnSetting(TenantScoped, Base):
    """The district's ruling limit: how long the unit above has to rule, on the working calendar or around the clock."""

    __tablename__ = "return_setting"

    __table_args__ = (UniqueConstraint("tenant_id", name="uq_return_setting_tenant"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ruling_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=DEFAULT_RULING_MINUTES)
    working_time: Mapped[bool] = mapped_column(Boolean, nullable=False, default=DEFAULT_WORKING_TIME)
