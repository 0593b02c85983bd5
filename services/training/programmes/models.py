"""The district's programme catalogue (TRN-01), its categories, the sessions held under each programme and who
attended them (TRN-02). Credit hours are copied onto the attendance when it is recorded, so a later change to a
session does not rewrite what was earned."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, Timestamped, uuid7


class Counts(StrEnum):
    """What attending a programme's sessions counts towards, besides credit hours (TRN-03, EVT-14)."""

    PRE_SERVICE = "pre_service"  # a volunteer's pre-service training: dispatch may offer them tickets after it
    SECRETARY_CLASS = "secretary_class"  # the village secretaries' 1-2 classes a year
    TRAINING_DAYS = "training_days"  # rural cadres' days in a rolling two years


class Audience(StrEnum):
    MEMBERS = "members"
    CADRES = "cadres"
    VOLUNTEERS = "volunteers"
    RESIDENTS = "residents"  # members and residents alike (micro-lectures, the daily classroom)


class Track(StrEnum):
    REQUIRED = "required"
    ELECTIVE = "elective"


class TrainingCategory(TenantScoped, Base):
    """A kind of learning the district counts separately (theory, practice, skills ...): codes per district."""

    __tablename__ = "training_category"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_training_category_tenant_code"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)


class Programme(TenantScoped, Timestamped, Base):
    """One programme of the catalogue, seeded from the seeds' programmes and extended by the district."""

    __tablename__ = "programme"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_programme_tenant_code"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(60), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40), nullable=False)  # a TrainingCategory code
    audience: Mapped[str] = mapped_column(String(20), nullable=False)
    track: Mapped[str | None] = mapped_column(String(20))  # the daily classroom's required and elective courses
    cadence: Mapped[str | None] = mapped_column(String(60))  # as the seeds say it: "each spring", "daily"
    default_credit_hours: Mapped[Decimal] = mapped_column(Numeric(4, 1), nullable=False)
    counts: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class TrainingSession(TenantScoped, Timestamped, Base):
    """One sitting of a programme: where, when, by which unit, worth how many credit hours (and training days)."""

    __tablename__ = "training_session"
    __table_args__ = (
        Index("ix_training_session_tenant_starts", "tenant_id", "starts_at", "id"),
        Index("ix_training_session_tenant_unit_path", "tenant_id", "organiser_unit_path", "starts_at"),
        Index("ix_training_session_tenant_programme", "tenant_id", "programme_id", "starts_at"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme.id", ondelete="RESTRICT"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    category: Mapped[str] = mapped_column(String(40), nullable=False)
    place: Mapped[str] = mapped_column(String(200), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # check-in is open from shortly before the start to the end (TRN-02); the organiser may widen it
    checkin_opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    checkin_closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    organiser_unit_id: Mapped[uuid.UUID | None] = mapped_column()
    organiser_unit_name: Mapped[str | None] = mapped_column(String(200))
    organiser_unit_path: Mapped[str | None] = mapped_column(PATH)
    credit_hours: Mapped[Decimal] = mapped_column(Numeric(4, 1), nullable=False)
    training_days: Mapped[Decimal] = mapped_column(Numeric(4, 1), nullable=False, default=Decimal(0))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column()


class CheckinMethod(StrEnum):
    QR = "qr"  # the member scanned the organiser's changing code
    MANUAL = "manual"  # the organiser checked them in by hand, with a reason


class Attendance(TenantScoped, Base):
    """A person's presence at a session: at most one per person and session, whatever the retries."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("tenant_id", "session_id", "person_id", name="uq_attendance_tenant_session_person"),
        Index("ix_attendance_tenant_person_checked_in", "tenant_id", "person_id", "checked_in_at"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_session.id", ondelete="RESTRICT"), nullable=False
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), nullable=False)
    method: Mapped[str] = mapped_column(String(10), nullable=False)
    reason: Mapped[str | None] = mapped_column(String(200))  # why by hand
    checked_in_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column()
    recorded_by_name: Mapped[str | None] = mapped_column(String(100))
    # what the session was worth when attended: later edits of the session do not rewrite the record
    credit_hours: Mapped[Decimal] = mapped_column(Numeric(4, 1), nullable=False)
    training_days: Mapped[Decimal] = mapped_column(Numeric(4, 1), nullable=False, default=Decimal(0))
    category: Mapped[str] = mapped_column(String(40), nullable=False)
    counts: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
