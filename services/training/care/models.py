"""Member care's tables: mobile members' certificates, their reviews, the review deadlines the scheduler sweeps,
the tasks an overdue review opens, the district's warning days, and warned members' re-education cases."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import Base, tenant_column
from shared.context import require_tenant
from shared.db.base import TenantScoped, Timestamped, uuid7

ONE_CERTIFICATE_PER_PERSON = "uq_mobile_certificate_tenant_person"
ONE_DEADLINE = "uq_certificate_deadline_tenant_due"
ONE_TASK_PER_DUE = "uq_care_task_tenant_due"
ONE_CASE_PER_WARNING = "uq_re_education_case_tenant_warning"
ONE_OPEN_CASE = "uq_re_education_case_tenant_open"
DEFAULT_WARNING_DAYS = 30


class CertificateState(StrEnum):
    """MobileCertificate (domain-from-seeds 7.8): ACTIVE -> REVIEW_DUE -> REVIEWED_PASS | REVIEWED_FAIL | OVERDUE."""

    ACTIVE = "active"
    REVIEW_DUE = "review_due"  # within the district's warning days of the due date
    OVERDUE = "overdue"
    REVIEWED_PASS = "reviewed_pass"  # noqa: S105 - a review outcome, not a password
    REVIEWED_FAIL = "reviewed_fail"


class Origin(StrEnum):
    FLAG = "flag"  # opened when orgtree flagged the member "mobile"
    HAND = "hand"  # registered by an organiser


class Outcome(StrEnum):
    PASS = "pass"  # noqa: S105 - a review outcome, not a password
    FAIL = "fail"


class DeadlineKind(StrEnum):
    WARNING = "warning"  # the due date is within the district's warning days
    OVERDUE = "overdue"  # the due date has passed without a review


class MobileCertificate(TenantScoped, Timestamped, Base):
    """A mobile member's certificate (流动党员证) and when its next annual review is due."""

    __tablename__ = "mobile_certificate"
    __table_args__ = (
        UniqueConstraint("tenant_id", "person_id", name=ONE_CERTIFICATE_PER_PERSON),
        Index(
            "uq_mobile_certificate_tenant_number",
            "tenant_id",
            "number",
            unique=True,
            postgresql_where=text("number IS NOT NULL"),
        ),
        Index("ix_mobile_certificate_tenant_due", "tenant_id", "review_due_on", "id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), nullable=False)
    number: Mapped[str | None] = mapped_column(String(40))  # None until an organiser registers the paper one
    issued_on: Mapped[date | None] = mapped_column(Date)
    review_due_on: Mapped[date] = mapped_column(Date, nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=CertificateState.ACTIVE)
    origin: Mapped[str] = mapped_column(String(10), nullable=False)
    last_reviewed_on: Mapped[date | None] = mapped_column(Date)
    last_outcome: Mapped[str | None] = mapped_column(String(10))


class CertificateReview(TenantScoped, Base):
    """One annual review, answering the due date it was recorded against. Append-only."""

    __tablename__ = "certificate_review"
    __table_args__ = (
        Index("ix_certificate_review_tenant_certificate", "tenant_id", "certificate_id", "reviewed_on"),
        Index("ix_certificate_review_tenant_due", "tenant_id", "due_on"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    certificate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mobile_certificate.id", ondelete="RESTRICT"), nullable=False
    )
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    outcome: Mapped[str] = mapped_column(String(10), nullable=False)
    reviewed_on: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str | None] = mapped_column(String(500))
    reviewer_id: Mapped[uuid.UUID | None] = mapped_column()
    reviewer_name: Mapped[str | None] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())


class CertificateDeadline(TenantScoped, Base):
    """A moment the scheduler acts on: the warning before a due date and the due date itself. Fired once; a
    review replaces the unfired ones with those of the next due date."""

    __tablename__ = "certificate_deadline"
    __table_args__ = (
        UniqueConstraint("tenant_id", "certificate_id", "due_on", "kind", name=ONE_DEADLINE),
        # the sweep's scan: unfired deadlines by date
        Index("ix_certificate_deadline_unfired", "due_on", postgresql_where=text("fired_at IS NULL")),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    certificate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mobile_certificate.id", ondelete="CASCADE"), nullable=False
    )
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    fired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TaskState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class CareTask(TenantScoped, Base):
    """Work an organiser owes: an overdue certificate review, closed when the review is recorded."""

    __tablename__ = "care_task"
    __table_args__ = (
        UniqueConstraint("tenant_id", "certificate_id", "due_on", name=ONE_TASK_PER_DUE),
        Index("ix_care_task_tenant_state_due", "tenant_id", "state", "due_on", "id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    certificate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mobile_certificate.id", ondelete="RESTRICT"), nullable=False
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    state: Mapped[str] = mapped_column(String(10), nullable=False, default=TaskState.OPEN)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by_review_id: Mapped[uuid.UUID | None] = mapped_column()


class CareSetting(Base):
    """The district's member-care settings; a district without a row has the defaults."""

    __tablename__ = "care_setting"

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=require_tenant)
    review_warning_days: Mapped[int] = mapped_column(Integer, nullable=False, default=DEFAULT_WARNING_DAYS)


class CaseState(StrEnum):
    """ReEducationCase (7.8): OPENED -> IN_EDUCATION -> QUALIFIED | STILL_UNQUALIFIED. IN_EDUCATION is not
    stored: an open case is in education once the member has attended a session of the case's programme."""

    OPENED = "opened"
    IN_EDUCATION = "in_education"
    QUALIFIED = "qualified"
    STILL_UNQUALIFIED = "still_unqualified"


class ReEducationCase(TenantScoped, Base):
    """A warned member's re-education at the party-spirit education branch (党风党性教育党支部)."""

    __tablename__ = "re_education_case"
    __table_args__ = (
        # the same warning replayed under another envelope opens nothing more
        UniqueConstraint("tenant_id", "member_id", "warned_on", name=ONE_CASE_PER_WARNING),
        # a second warning while a case is open belongs to that case
        Index(ONE_OPEN_CASE, "tenant_id", "person_id", unique=True, postgresql_where=text("concluded_at IS NULL")),
        Index("ix_re_education_case_tenant_opened", "tenant_id", "opened_at", "id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), nullable=False)
    member_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    # the enrolment: the programme whose sessions count as this case's education
    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme.id", ondelete="RESTRICT"), nullable=False)
    warned_on: Mapped[date] = mapped_column(Date, nullable=False)
    # attendance from here on counts (the start of the warning's day in China)
    educated_from: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=CaseState.OPENED)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    concluded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    concluded_on: Mapped[date | None] = mapped_column(Date)
    conclusion_note: Mapped[str | None] = mapped_column(String(500))
    concluded_by: Mapped[uuid.UUID | None] = mapped_column()
    concluded_by_name: Mapped[str | None] = mapped_column(String(100))
