"""The delivery log, and the one-time codes sent to residents' phones."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class Notification(TenantScoped, Base):
    """The delivery log (DSP-18): every message, its channel, attempts and outcome."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_ticket", "tenant_id", "ticket_id"),
        # The retry sweep, across districts: only messages still owed.
        Index("ix_notification_retry", "next_attempt_at", postgresql_where=text("status IN ('pending', 'retrying')")),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    channel: Mapped[str] = mapped_column(String(12), nullable=False)  # webhook | sms | dev
    template: Mapped[str] = mapped_column(String(40), nullable=False)  # ticket_routed, offer_made, ...
    recipient_kind: Mapped[str] = mapped_column(String(12), nullable=False)  # resident | provider | district
    recipient_id: Mapped[uuid.UUID | None] = mapped_column()  # provider id; None for the ticket's caller
    ticket_id: Mapped[uuid.UUID | None] = mapped_column()
    offer_id: Mapped[uuid.UUID | None] = mapped_column()
    params: Mapped[dict[str, object]] = mapped_column(JSONB, nullable=False, default=dict)  # no personal data
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
    first_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PhoneVerification(TenantScoped, Base):
    """A one-time code sent to a resident's phone for the public request endpoint."""

    __tablename__ = "phone_verification"
    __table_args__ = (Index("ix_phone_verification_phone", "tenant_id", "phone_index", "created_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    phone_index: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    phone_cipher: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    code_hash: Mapped[str] = mapped_column(String(200), nullable=False)  # argon2
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
