"""Star ratings' and awards' API structs (camelCase on the wire; unknown input fields refused, numbers strictly:
a number sent as a string is a 422 naming the field)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
Threshold = Annotated[float, msgspec.Meta(gt=0, le=100)]
Note = Annotated[str, msgspec.Meta(max_length=500)]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=r"\S")]
Path = Annotated[str, msgspec.Meta(min_length=1, max_length=400, pattern=r"^/")]
UnitName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
PeriodText = Annotated[str, msgspec.Meta(max_length=10)]
SubjectKindText = Literal["village_branch", "grid_group", "member"]


class Criterion(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    code: Code
    name: Name
    max_score: Annotated[float, msgspec.Meta(gt=0, le=1000)]


class TemplateWrite(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """A criteria template: the level is 1 + how many of ``levels`` (stars 2..5, ascending, out of 100) the
    entry's total reaches; the total is 100 x the sum of the scores / the sum of the criteria's maxScore."""

    name: Name
    subject_kind: SubjectKindText
    criteria: Annotated[list[Criterion], msgspec.Meta(min_length=1, max_length=30)]
    levels: Annotated[list[Threshold], msgspec.Meta(min_length=4, max_length=4)]
    level_notes: Annotated[list[Note], msgspec.Meta(min_length=5, max_length=5)] | None = None  # 1..5 stars


class TemplatePatch(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    name: Name | None = None
    subject_kind: SubjectKindText | None = None
    criteria: Annotated[list[Criterion], msgspec.Meta(min_length=1, max_length=30)] | None = None
    levels: Annotated[list[Threshold], msgspec.Meta(min_length=4, max_length=4)] | None = None
    level_notes: Annotated[list[Note], msgspec.Meta(min_length=5, max_length=5)] | None = None


class TemplateView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    code: str | None  # the seeded templates' codes; None for the district's own
    name: str
    subject_kind: str
    criteria: list[Criterion]
    levels: list[float]
    level_notes: list[str]
    created_at: datetime
    updated_at: datetime


class RatingCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    name: Name
    subject_kind: SubjectKindText
    period: PeriodText  # "2026H1", "2026H2" or "2026"
    template_id: UUID
    unit_path: Path  # the unit whose subjects are rated (within the caller's scope)
    notice_days: Annotated[int, msgspec.Meta(ge=1, le=60)] | None = None  # default: the district's


class RatingView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    name: str
    subject_kind: str
    period: str
    template_id: UUID
    template_name: str
    criteria: list[Criterion]
    levels: list[float]
    level_notes: list[str]
    unit_path: str
    notice_days: int
    state: str  # draft | in_notice | published
    notice_starts_at: datetime | None
    notice_ends_at: datetime | None
    published_at: datetime | None
    created_by_name: str | None
    created_at: datetime
    entry_count: int
    open_objections: int  # objections not answered yet


class RatingsPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[RatingView]
    next: str | None


class EntryWrite(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """A member (``personId``) or a unit (``unitId`` + ``unitPath`` + ``unitName``), as the round's kind needs."""

    person_id: UUID | None = None
    unit_id: UUID | None = None
    unit_path: Path | None = None
    unit_name: UnitName | None = None
    # read as sent and checked per criterion, so that a bad score is named: body.scores.<code>
    scores: Annotated[dict[Annotated[str, msgspec.Meta(max_length=40)], Any], msgspec.Meta(max_length=30)]
    note: Note | None = None  # the reward or penalty; default: the template's note for the level


class Inputs(msgspec.Struct, kw_only=True, rename="camel"):
    """What the organiser scored from, as it stood when the entry was scored."""

    commitment_score: Decimal | None  # mean evaluation score of the subject's commitments that year
    points: int  # points ledger total in the period (a unit: its people's)
    services: int  # dispatch's completed services and fulfilled wishes in the ledger in the period
    service_points: int
    warnings: int  # overdue warnings (accountability records) in the period


class EntryView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    rating_id: UUID
    subject_kind: str
    person_id: UUID | None
    unit_id: UUID | None
    subject_id: UUID  # orgtree's unit id or member id
    subject_path: str
    subject_name: str
    scores: dict[str, float]
    total: Decimal  # out of 100
    level: int  # 1..5 stars
    note: str
    inputs: Inputs
    scored_by_name: str | None
    updated_at: datetime
    objections: int  # raised against this entry


class EntriesPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[EntryView]
    next: str | None


class NoticeView(msgspec.Struct, kw_only=True, rename="camel"):
    """A round on the public-notice board with its entries, best first."""

    id: UUID
    name: str
    subject_kind: str
    period: str
    unit_path: str
    state: str  # in_notice | published
    notice_starts_at: datetime | None
    notice_ends_at: datetime | None
    published_at: datetime | None
    criteria: list[Criterion]
    entries: list[EntryView]


class NoticesPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[NoticeView]
    next: str | None


class ObjectionCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    entry_id: UUID
    content: Text


class AnswerWrite(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    answer: Text


class ObjectionView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    rating_id: UUID
    entry_id: UUID
    content: str
    raised_by_name: str | None  # organisers only; None for others
    raised_at: datetime
    answer: str | None
    answered_by_name: str | None
    answered_at: datetime | None


class ObjectionsPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[ObjectionView]


class SettingsView(msgspec.Struct, kw_only=True, rename="camel"):
    notice_days: int


class SettingsWrite(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    notice_days: Annotated[int, msgspec.Meta(ge=1, le=60)]


class TitleView(msgspec.Struct, kw_only=True, rename="camel"):
    code: str
    name: str
    subject_kind: str  # unit | member
    active: bool


class Subject(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    person_id: UUID | None = None
    unit_id: UUID | None = None
    unit_path: Path | None = None
    unit_name: UnitName | None = None


class AwardCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    title: Code  # a title code of the district
    title_name: Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"\S")] | None = None
    subject: Subject
    period: PeriodText  # "2026Q3", "2026H1", "2026" or "2026-11"
    note: Note = ""


class AwardView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    title: str
    title_name: str
    subject_kind: str  # unit | member
    person_id: UUID | None
    unit_id: UUID | None
    subject_id: UUID
    subject_path: str
    subject_name: str
    period: str
    awarded_on: date
    note: str
    awarded_by_name: str | None


class AwardsPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[AwardView]
    next: str | None
