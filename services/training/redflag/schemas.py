"""Red Flag Community evaluations' API structs (camelCase on the wire; unknown fields refused; numbers and
booleans strictly: one sent as a string is a 422 naming the field)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

Year = Annotated[str, msgspec.Meta(pattern=r"^20\d{2}$", description="2026")]
Path = Annotated[str, msgspec.Meta(min_length=1, max_length=400, pattern=r"^/")]
UnitName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Note = Annotated[str, msgspec.Meta(max_length=10000)]
Said = Annotated[str, msgspec.Meta(min_length=1, max_length=10000, pattern=r"\S")]  # must say something
Score = Annotated[float, msgspec.Meta(ge=0, le=100)]


class Strict(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    pass


class EvaluationCreate(Strict):
    unit_id: UUID  # orgtree's community (the console picks it from orgtree)
    unit_path: Path
    unit_name: UnitName
    year: Year


class SelfCheckWrite(Strict):
    self_score: Score | None = None
    self_check_note: Note | None = None


class ApplyWrite(Strict):
    application_note: Note = ""


class RecommendWrite(Strict):
    street_score: Score
    street_opinion: Said


class ReturnWrite(Strict):
    reason: Said


class AcceptanceWrite(Strict):
    site_visit_note: Said
    document_review_note: Said
    interviews_note: Said
    acceptance_score: Score


class DecisionWrite(Strict):
    outcome: Literal["award", "refuse"]
    reason: Said
    recommend_to_city: bool = False


class StepView(msgspec.Struct, kw_only=True, rename="camel"):
    action: str
    state: str
    note: str
    taken_by_name: str | None
    taken_at: datetime


class EvaluationView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    unit_id: UUID | None
    unit_path: str
    unit_name: str
    year: str
    state: str
    self_score: float | None
    self_check_note: str
    application_note: str
    street_score: float | None
    street_opinion: str
    returned_reason: str
    site_visit_note: str
    document_review_note: str
    interviews_note: str
    acceptance_score: float | None
    decision_reason: str
    recommended_to_city: bool
    decided_at: datetime | None
    award_id: UUID | None
    created_by_name: str | None
    created_at: datetime
    steps: list[StepView]


class EvaluationSummary(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    unit_id: UUID | None
    unit_path: str
    unit_name: str
    year: str
    state: str
    self_score: float | None
    street_score: float | None
    acceptance_score: float | None
    recommended_to_city: bool
    updated_at: datetime


class EvaluationsPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[EvaluationSummary]
    next: str | None
