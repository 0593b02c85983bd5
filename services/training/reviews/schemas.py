"""Duty reviews' API structs (camelCase on the wire; unknown fields refused; numbers strictly: a number sent as a
string is a 422 naming the field)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

Month = Annotated[str, msgspec.Meta(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="2026-11")]
Path = Annotated[str, msgspec.Meta(min_length=1, max_length=400, pattern=r"^/")]
UnitName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
LongText = Annotated[str, msgspec.Meta(max_length=10000)]
Question = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=r"\S")]
QuestionKind = Literal["ask", "follow_up", "challenge"]


class SettingsWrite(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    monthly_count: Annotated[int, msgspec.Meta(ge=1, le=50)]


class SettingsView(msgspec.Struct, kw_only=True, rename="camel"):
    monthly_count: int


class RoundCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    month: Month
    unit_path: Path  # secretaries are drawn from under this unit (within the caller's scope)
    unit_name: UnitName
    count: Annotated[int, msgspec.Meta(ge=1, le=50)] | None = None  # default: the district's monthly count


class ReviewSummary(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    person_id: UUID | None
    secretary_name: str
    branch_path: str
    state: str  # drawn | polling | finalised
    questionnaire_score: float | None
    voters: int


class RoundView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    month: str
    unit_path: str
    unit_name: str
    requested: int
    seed: int  # with candidateIds (sorted), the draw again: random.Random(seed).sample(candidateIds, count)
    candidate_ids: list[UUID]
    excluded_ids: list[UUID]  # secretaries drawn last month, not drawn again
    created_by_name: str | None
    created_at: datetime
    finished: bool  # every drawn secretary's review is finalised
    reviews: list[ReviewSummary]


class RoundsPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[RoundView]
    next: str | None


class ReviewPatch(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    questionnaire_score: Annotated[float, msgspec.Meta(ge=0, le=100)] | None = None  # out of 100
    questionnaire_count: Annotated[int, msgspec.Meta(ge=0, le=100000)] | None = None
    questionnaire_note: LongText | None = None
    report_note: LongText | None = None
    report_seconds: Annotated[int, msgspec.Meta(ge=1, le=7200)] | None = None
    conclusion: LongText | None = None


class QuestionWrite(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    kind: QuestionKind = "ask"
    question: Question
    answer: LongText = ""


class QuestionView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    position: int
    kind: str
    question: str
    answer: str
    asked_by_name: str | None


class Tally(msgspec.Struct, kw_only=True, rename="camel"):
    aspect: str
    good: int
    fairly_good: int
    average: int
    poor: int


class ReviewView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    round_id: UUID
    month: str
    unit_name: str
    person_id: UUID | None
    secretary_name: str
    branch_path: str
    state: str
    questionnaire_score: float | None
    questionnaire_count: int | None
    questionnaire_note: str
    report_note: str
    report_seconds: int | None
    over_time: bool  # the report ran past its 8 minutes
    conclusion: str
    poll_opened_at: datetime | None
    finalised_at: datetime | None
    finalised_by_name: str | None
    questions: list[QuestionView]
    voters: int
    tallies: list[Tally]  # one per aspect, in the poll form's order; none until 3 have voted (poll.SHOWN_FROM_VOTERS)


class VoteWrite(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    # read as sent and checked per aspect, so that a bad grade is named: body.grades.<aspect>
    grades: Annotated[dict[Annotated[str, msgspec.Meta(max_length=40)], Any], msgspec.Meta(max_length=20)]


class PollView(msgspec.Struct, kw_only=True, rename="camel"):
    """What a voter sees: whose poll, the aspects and grades, whether it is open and whether they voted."""

    review_id: UUID
    month: str
    unit_name: str
    secretary_name: str
    open: bool
    voted: bool
    aspects: list[str]
    grades: list[str]
