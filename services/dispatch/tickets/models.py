"""Tickets (工单): a resident's request or case, its daily numbering and its append-only history."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.context import require_tenant
from shared.db.base import TenantScoped, Timestamped, uuid7


class Channel(StrEnum):
    """Where a request came in (DSP-01)."""

    PHONE = "phone"
    WEB = "web"
    SMS = "sms"
    ONE_TOUCH = "one_touch"
    WALK_IN = "walk_in"  # a Red Cube station desk
    VISIT = "visit"  # a micro-visit record
    WISH_WALL = "wish_wall"
    CHAT_GROUP = "chat_group"
    PROPOSAL_BOX = "proposal_box"
    DELEGATE = "delegate"
    MEETING = "meeting"


class Priority(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"
    EMERGENCY = "emergency"


class TicketStatus(StrEnum):
    NEW = "new"  # recorded, waiting to be classified or placed (public requests)
    ROUTING = "routing"  # offers out, no provider has signed for it
    ASSIGNED = "assigned"  # signed for: a provider, or the unit at the current ladder level
    ON_SITE = "on_site"  # the provider has arrived
    RESOLVED = "resolved"  # resolution note recorded; waiting for feedback and callback
    CLOSED = "closed"
    CANCELLED = "cancelled"
    MERGED = "merged"  # folded into another ticket as a duplicate


OPEN_STATUSES = (TicketStatus.NEW, TicketStatus.ROUTING, TicketStatus.ASSIGNED, TicketStatus.ON_SITE)


class Ticket(TenantScoped, Timestamped, Base):
    """A resident's request or case (工单 / 民情事项). Caller and address are personal data: encrypted."""

    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number", name="uq_ticket_tenant_number"),
        Index("ix_ticket_tenant_status", "tenant_id", "status", "created_at"),
        Index("ix_ticket_tenant_phone", "tenant_id", "caller_phone_index", "created_at"),
        Index("ix_ticket_tenant_household", "tenant_id", "household_id", "created_at"),
        Index("ix_ticket_tenant_grid", "tenant_id", "grid_path", "created_at"),
        Index("ix_ticket_tenant_address", "tenant_id", "address_index", "created_at"),
        Index("ix_ticket_tenant_provider", "tenant_id", "provider_id", "status"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    number: Mapped[str] = mapped_column(String(20), nullable=False)  # e.g. 20261202-0007, per district
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    # DSP-02 (migration 0014): the district's published number the caller dialled, which placed the ticket.
    dialled_number: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), nullable=False, default=TicketStatus.NEW)
    priority: Mapped[str] = mapped_column(String(10), nullable=False, default=Priority.NORMAL)
    category_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("service_category.id", ondelete="RESTRICT"))
    item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("service_item.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # DSP-17 classification dimensions
    scope_kind: Mapped[str | None] = mapped_column(String(12))  # common | individual
    difficulty: Mapped[str | None] = mapped_column(String(12))  # solvable_now | hard
    # The caller (looked up by the phone's blind index) and the place.
    caller_name_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    caller_name_masked: Mapped[str | None] = mapped_column(String(100))
    caller_phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    caller_phone_index: Mapped[bytes | None] = mapped_column(LargeBinary)
    caller_phone_masked: Mapped[str | None] = mapped_column(String(20))
    caller_user_id: Mapped[uuid.UUID | None] = mapped_column()  # a resident account, for self-service
    household_id: Mapped[uuid.UUID | None] = mapped_column()
    address_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    address_index: Mapped[bytes | None] = mapped_column(LargeBinary)
    address_masked: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    grid_id: Mapped[uuid.UUID | None] = mapped_column()
    grid_path: Mapped[str | None] = mapped_column(PATH)  # copy of the grid's path: cadres see their subtree
    # Ladder position and the unit answerable at that rung (DSP-14).
    level_rank: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    unit_id: Mapped[uuid.UUID | None] = mapped_column()
    # The order (DSP-04/05): the provider who signed for it, and its timestamps.
    provider_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("provider.id", ondelete="RESTRICT"))
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    arrived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    arrival_late: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    service_minutes: Mapped[int | None] = mapped_column(Integer)  # credited to the time bank
    material_cost: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))  # DSP-06: only materials are charged
    gifts_accepted: Mapped[str | None] = mapped_column(String(200))  # must stay empty; flagged otherwise
    resolution_note: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[uuid.UUID | None] = mapped_column()  # user id
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    warning: Mapped[str | None] = mapped_column(String(10))  # yellow | red
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"))
    created_by: Mapped[uuid.UUID | None] = mapped_column()  # operator user id; None: the resident
    # SHA-256 of the follow token a resident got from the public endpoint (public/; migration 0005).
    follow_token_hash: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class TicketCounter(TenantScoped, Base):
    """The last ticket number handed out per district and day (numbers read 20261202-0007)."""

    __tablename__ = "ticket_counter"

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=require_tenant)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class TicketHistory(TenantScoped, Base):
    """Everything that happened to a ticket: who, when, what and why. Append-only (DSP-14)."""

    __tablename__ = "ticket_history"
    __table_args__ = (Index("ix_ticket_history_ticket", "tenant_id", "ticket_id", "at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"), nullable=False)
    action: Mapped[str] = mapped_column(String(30), nullable=False)  # created, offered, accepted, escalated ...
    actor: Mapped[str] = mapped_column(String(80), nullable=False)  # user id or system:<process>
    # Who that was, as written at the time (migration 0007): the display name from the token, or the
    # provider's name for a volunteer or team; None for system actors and rows written before 0007.
    actor_name: Mapped[str | None] = mapped_column(String(80))
    actor_kind: Mapped[str | None] = mapped_column(String(10))  # staff | provider | resident | system
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str | None] = mapped_column(String(12))
    from_level: Mapped[int | None] = mapped_column(Integer)
    to_level: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, object]] = mapped_column(JSONB, nullable=False, default=dict)
