"""The time bank: service points per provider or household, and the append-only ledger."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class TimeBankAccount(TenantScoped, Base):
    """Service points of a provider or a paired beneficiary household (DSP-08). Never below zero."""

    __tablename__ = "timebank_account"
    __table_args__ = (
        UniqueConstraint("tenant_id", "holder_kind", "holder_id", name="uq_timebank_account_holder"),
        CheckConstraint("balance_points >= 0", name="balance_not_negative"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    holder_kind: Mapped[str] = mapped_column(String(12), nullable=False)  # provider | household
    holder_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    balance_points: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    service_minutes: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class TimeBankEntry(TenantScoped, Base):
    """One ledger line; the account balance is the sum of its entries. Append-only."""

    __tablename__ = "timebank_entry"
    __table_args__ = (
        Index("ix_timebank_entry_account", "tenant_id", "account_id", "at"),
        # A completed order credits once, however often the completion is replayed.
        UniqueConstraint("tenant_id", "ticket_id", "kind", name="uq_timebank_entry_ticket_kind"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("timebank_account.id", ondelete="RESTRICT"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # credit | redemption | transfer_out | transfer_in
    points: Mapped[int] = mapped_column(BigInteger, nullable=False)  # signed
    minutes: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    ticket_id: Mapped[uuid.UUID | None] = mapped_column()
    counterpart_account_id: Mapped[uuid.UUID | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(String(200))
    by_user: Mapped[str] = mapped_column(String(80), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
