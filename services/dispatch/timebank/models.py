"""The time bank: service points per provider or household, and the append-only ledger."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint, text
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
        # Each resolution of an order credits once, however often its completion is replayed, and is reversed
        # at most once (when the resident's dissatisfaction reopens the order): one row per kind and round.
        UniqueConstraint("tenant_id", "ticket_id", "kind", "round", name="uq_timebank_entry_ticket_kind_round"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("timebank_account.id", ondelete="RESTRICT"), nullable=False
    )
    # credit | reversal | redemption | transfer_out | transfer_in
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    points: Mapped[int] = mapped_column(BigInteger, nullable=False)  # signed
    minutes: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    ticket_id: Mapped[uuid.UUID | None] = mapped_column()
    # The order's resolution a credit or reversal belongs to: 1 for the first, 2 after a reopening (0007).
    round: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default=text("1"))
    counterpart_account_id: Mapped[uuid.UUID | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(String(200))
    by_user: Mapped[str] = mapped_column(String(80), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
