"""Dispatch orders put to providers (派单)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class OfferStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"  # another provider won the claim, or the ticket moved on
    RETURNED = "returned"  # accepted, then handed back (退单): the ticket is not offered to them again


class Offer(TenantScoped, Base):
    """A dispatch order put to a provider (派单): one at a time in assign mode, to many in claim mode."""

    __tablename__ = "offer"
    __table_args__ = (
        Index("ix_offer_ticket", "tenant_id", "ticket_id"),
        # Two routing runs racing on one ticket cannot put the same order to a provider twice.
        Index(
            "uq_offer_open_ticket_provider",
            "tenant_id",
            "ticket_id",
            "provider_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_offer_provider_open", "tenant_id", "provider_id", postgresql_where=text("status = 'open'")),
        # The offer time-out sweep reads only open offers by due time, across districts.
        Index("ix_offer_open_expiry", "expires_at", postgresql_where=text("status = 'open'")),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False)
    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"), nullable=False)
    mode: Mapped[str] = mapped_column(String(10), nullable=False)
    rank: Mapped[int] = mapped_column(Integer, nullable=False)  # 1 = best candidate
    reasons: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default=OfferStatus.OPEN)
    offered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str | None] = mapped_column(String(200))
    # The operator who signed for the offer when the provider phoned in; None: the provider answered themselves.
    accepted_on_behalf_by: Mapped[uuid.UUID | None] = mapped_column()
