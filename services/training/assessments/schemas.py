"""Assessments' API structs (camelCase on the wire; unknown fields refused; numbers strictly: a number sent as a
string is a 422 naming the field)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from services.training.ratings.schemas import Subject

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"^[a-z][a-z0-9_]*$")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Note = Annotated[str, msgspec.Meta(max_length=4000)]
Year = Annotated[str, msgspec.Meta(pattern=r"^20\d{2}$", description="2026")]
Grade = Literal["excellent", "qualified", "basically_qualified", "unqualified"]


class Indicator(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    code: Code
    name: Name
    max_score: Annotated[float, msgspec.Meta(gt=0, le=100)]


class SetWrite(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    code: Code
    name: Name
    subject_kind: Literal["organisation", "member"]
    domain: Code | None = None
    indicators: Annotated[list[Indicator], msgspec.Meta(min_length=1, max_length=30)]


class SetView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    code: str
    name: str
    subject_kind: str
    domain: str | None
    indicators: list[dict[str, Any]]
    active: bool


class SheetCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    set_id: UUID
    kind: Literal["self", "group", "branch", "superior"]
    period: Annotated[str, msgspec.Meta(max_length=10)]  # "2026H1" (semiannual) or "2026"
    subject: Subject
    # read as sent and checked per indicator, so a bad score is named: body.scores.<code>
    scores: Annotated[dict[Annotated[str, msgspec.Meta(max_length=60)], Any], msgspec.Meta(max_length=30)]
    note: Note = ""


class SheetView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    set_id: UUID
    kind: str
    period: str
    subject_kind: str
    person_id: UUID | None
    subject_id: UUID
    subject_path: str
    subject_name: str
    scores: dict[str, Any]
    total: float
    note: str
    scored_by_name: str | None
    created_at: datetime


class SheetsPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[SheetView]
    next: str | None


class SubjectTotals(msgspec.Struct, kw_only=True, rename="camel"):
    """A subject's score sheets of one set and period, totalled: each kind's total (None: no sheet yet)."""

    set_id: UUID
    set_name: str
    subject_id: UUID
    subject_name: str
    period: str
    totals: dict[str, float | None]  # self, group, branch (members); self, superior (organisations)


class PollCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    person_id: UUID
    year: Year


class VoteWrite(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    grade: Grade


class PollView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    person_id: UUID
    subject_name: str
    year: str
    open: bool
    voters: int
    voted: bool  # the caller voted
    tallies: dict[str, int] | None  # by grade; None until 3 have voted (one or two voters' grades could be read)
    opened_at: datetime
    closed_at: datetime | None
