"""Events the training service publishes (EVT-02, EVT-13 to EVT-17). Ids and non-personal facts only."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from shared.contracts.base import Event, event_type


@event_type
class AttendanceRecorded(Event, frozen=True, kw_only=True):
    """A person checked in to a session (by the changing code or by hand): points and targets count it."""

    NAME = "training.AttendanceRecorded"
    VERSION = 1

    attendance_id: UUID
    session_id: UUID
    programme_id: UUID
    person_id: UUID
    member_id: UUID | None  # None: a resident who is not a member
    user_id: UUID | None
    checked_in_at: datetime
    credit_hours: Decimal
    category: str
    counts: list[str]  # programmes/models.py Counts: pre_service, secretary_class, training_days
    method: str


@event_type
class PreServiceTrainingCompleted(Event, frozen=True, kw_only=True):
    """EVT-14: a volunteer finished pre-service training; dispatch may offer them tickets from now on."""

    NAME = "training.PreServiceTrainingCompleted"
    VERSION = 1

    person_id: UUID
    member_id: UUID | None
    user_id: UUID | None
    completed_at: datetime
    session_id: UUID


@event_type
class CommitmentPublished(Event, frozen=True, kw_only=True):
    """EVT-17: a party group's or member's commitment was made public (亮诺); documents posts it to the grid's
    board. The commitment's title is public by design: it is what the board shows."""

    NAME = "training.CommitmentPublished"
    VERSION = 1

    commitment_id: UUID
    holder_kind: str  # party_group | member
    holder_id: UUID  # the party group's unit id or the member's person id
    member_id: UUID | None = None  # a member's orgtree id, which documents anchors the board's copy on
    holder_path: str  # the unit's tree path, or the member's grid (else branch) path
    period: str  # the commitment year, "2026"
    title: str
    published_at: datetime


@event_type
class StarRatingPublished(Event, frozen=True, kw_only=True):
    """EVT-13: a star level (1-5) was published for a village branch, a grid party group or a member after its
    public notice; orgtree records it on the unit or member, documents renders the certificate."""

    NAME = "training.StarRatingPublished"
    VERSION = 1

    rating_id: UUID  # the rating round
    entry_id: UUID  # the subject's entry in the round
    subject_kind: str  # village_branch | grid_group | member
    subject_id: UUID  # orgtree's unit id, or the member's orgtree member id
    subject_path: str
    period: str  # "2026H1" (semiannual) or "2026" (annual)
    level: int
    note: str  # the reward or penalty that follows
    published_at: datetime


@event_type
class TitleAwarded(Event, frozen=True, kw_only=True):
    """EVT-13, TRN-10: a title (most beautiful red cell, Red Flag, Strongest Branch ...) went to a unit or member."""

    NAME = "training.TitleAwarded"
    VERSION = 1

    award_id: UUID
    title: str  # the district's title code, e.g. most_beautiful_red_cell
    title_name: str  # as shown: 最美红色细胞
    subject_kind: str  # unit | member
    subject_id: UUID  # orgtree's unit id, or the member's orgtree member id
    subject_path: str
    period: str  # "2026Q3", "2026H1", "2026"
    awarded_on: date
    subject_name: str | None = None  # the unit's or member's name, as the certificate prints it


@event_type
class MonthlyReportGenerated(Event, frozen=True, kw_only=True):
    """EVT-16: a member's monthly performance report exists; documents renders and stores it."""

    NAME = "training.MonthlyReportGenerated"
    VERSION = 1

    report_id: UUID
    person_id: UUID
    member_id: UUID | None
    month: str  # "2026-11"
    branch_path: str
    generated_at: datetime
    # The report's figures, as the rendered report prints them (optional: older events lack them).
    member_name: str | None = None
    services: int | None = None
    wishes: int | None = None
    service_hours: float | None = None
    sessions: int | None = None
    credit_hours: float | None = None
    commitments_published: int | None = None
    commitments_evaluated: int | None = None
    commitment_score: float | None = None
    points: int | None = None


@event_type
class CertificateReviewDue(Event, frozen=True, kw_only=True):
    """EVT-15: a mobile member's certificate is due for its annual review (or overdue); the member and branch are
    told."""

    NAME = "training.CertificateReviewDue"
    VERSION = 1

    certificate_id: UUID
    person_id: UUID
    member_id: UUID | None
    due_on: date
    overdue: bool


@event_type
class ReEducationFailed(Event, frozen=True, kw_only=True):
    """EVT-02: a warned member is still unqualified after re-education; orgtree transfers the membership to the
    street organ branch and sets the "unqualified" flag, documents files the disposition record."""

    NAME = "training.ReEducationFailed"
    VERSION = 1

    case_id: UUID
    member_id: UUID
    person_id: UUID
    concluded_on: date
