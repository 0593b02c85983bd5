"""An offer of a member from one district to another. Platform-level, like the registry: it belongs to two
districts at once, so it has no ``tenant_id`` under RLS; every read names the caller's district explicitly
(``services.py``), on the system role."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models import Base
from shared.db.base import uuid7

STATES = ("offered", "accepted", "declined", "withdrawn")


class TransferOffer(Base):
    __tablename__ = "member_transfer_offer"
    __table_args__ = (
        CheckConstraint("status IN ('offered', 'accepted', 'declined', 'withdrawn')", name="status_known"),
        CheckConstraint("from_tenant_id <> to_tenant_id", name="between_districts"),
        Index("ix_member_transfer_offer_from", "from_tenant_id", "created_at"),
        Index("ix_member_transfer_offer_to", "to_tenant_id", "created_at"),
        # a member is offered once at a time
        Index(
            "uq_member_transfer_offer_open",
            "from_tenant_id",
            "member_id",
            unique=True,
            postgresql_where="status = 'offered'",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    from_tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id"), nullable=False)
    to_tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id"), nullable=False)
    member_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # the sending district's member
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="offered")
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    transfer_on: Mapped[date] = mapped_column(Date, nullable=False)
    # the member's profile (orgtree's event) and training history (training's event), as they arrive
    member: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    history: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    offered_by: Mapped[uuid.UUID | None] = mapped_column()
    # accepted: the receiving district's branch and the member's id there
    branch_id: Mapped[uuid.UUID | None] = mapped_column()
    new_member_id: Mapped[uuid.UUID | None] = mapped_column()
    decline_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[uuid.UUID | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
