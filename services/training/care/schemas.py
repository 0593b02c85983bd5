"""Member care's API structs (camelCase on the wire; unknown input fields refused; dates as YYYY-MM-DD)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

Number = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"\S")]
Note = Annotated[str, msgspec.Meta(max_length=500)]
RequiredNote = Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=r"\S")]
WarningDays = Annotated[int, msgspec.Meta(ge=1, le=180)]


class CertificateCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """An organiser registers a member's certificate (or completes the one opened when they were flagged)."""

    person_id: UUID
    number: Number
    issued_on: date
    review_due_on: date


class ReviewCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    outcome: Literal["pass", "fail"]
    reviewed_on: date
    note: Note | None = None


class CertificateView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    person_id: UUID
    person_name: str
    member_id: UUID | None
    branch_path: str | None
    grid_path: str | None
    number: str | None  # None: opened when the member was flagged mobile, not registered yet
    issued_on: date | None
    review_due_on: date
    state: str  # active | review_due | overdue | reviewed_pass | reviewed_fail
    origin: str  # flag | hand
    last_reviewed_on: date | None
    last_outcome: str | None


class ReviewView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    certificate_id: UUID
    due_on: date  # the due date the review answered
    outcome: str
    reviewed_on: date
    note: str | None
    reviewer_name: str | None
    recorded_at: datetime


class CertificateDetail(msgspec.Struct, kw_only=True, rename="camel"):
    certificate: CertificateView
    reviews: list[ReviewView]  # newest first


class ReviewRecorded(msgspec.Struct, kw_only=True, rename="camel"):
    review: ReviewView
    certificate: CertificateView  # with its next due date


class CertificatePage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[CertificateView]
    next: str | None


class ReviewSummary(msgspec.Struct, kw_only=True, rename="camel"):
    """The year's review rate for the unit: certificates with a review due that year, and those reviewed."""

    year: int
    unit_path: str | None
    due: int
    reviewed: int
    overdue: int  # due that year, past the date and not reviewed
    rate: float | None  # reviewed / due; None when nothing was due
    reference: float  # Yaoxi's rate, 1.0 (100%)


class CareSettingsView(msgspec.Struct, kw_only=True, rename="camel"):
    review_warning_days: int


class CareSettingsUpdate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    review_warning_days: WarningDays


class TaskView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    kind: str  # certificate_review
    certificate_id: UUID
    person_id: UUID
    person_name: str
    branch_path: str | None
    grid_path: str | None
    due_on: date
    state: str  # open | closed
    opened_at: datetime
    closed_at: datetime | None


class TaskPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[TaskView]
    next: str | None


class CaseConclude(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    outcome: Literal["qualified", "still_unqualified"]
    note: RequiredNote


class AttendedSession(msgspec.Struct, kw_only=True, rename="camel"):
    session_id: UUID
    title: str
    starts_at: datetime
    checked_in_at: datetime
    credit_hours: float


class CaseView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    person_id: UUID
    person_name: str
    member_id: UUID
    branch_path: str | None
    grid_path: str | None
    programme_id: UUID
    programme_name: str
    warned_on: date
    state: str  # opened | in_education | qualified | still_unqualified
    opened_at: datetime
    concluded_on: date | None
    conclusion_note: str | None
    concluded_by_name: str | None


class CaseDetail(msgspec.Struct, kw_only=True, rename="camel"):
    case: CaseView
    sessions: list[AttendedSession]  # the programme's sessions the member attended since the warning


class CasePage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[CaseView]
    next: str | None
