"""What a member brought from another district: read-only copies of its attendance, points and assessment results."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import Base
from shared.db.base import TenantScoped, uuid7


class CarriedOverRecord(TenantScoped, Base):
    """One record of the sending district, as it was there. Append-only (a trigger refuses changes): the receiving
    district shows it and counts it, but corrects nothing it did not record."""

    __tablename__ = "carried_over_record"
    __table_args__ = (
        UniqueConstraint("tenant_id", "offer_id", "kind", "source_id", name="uq_carried_over_record_source"),
        Index("ix_carried_over_record_person", "tenant_id", "person_id", "occurred_on"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), nullable=False)
    offer_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    from_district: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # attendance | points | star_rating | assessment
    source_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # the record's id in the sending district
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    credit_hours: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    points: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
