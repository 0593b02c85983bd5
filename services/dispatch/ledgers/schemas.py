from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

Note = Annotated[str, msgspec.Meta(min_length=2, max_length=2000, pattern=r"\S")]


class OpinionCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """An opinion a delegate or studio (a provider of the district) collected."""

    collector_id: UUID
    collected_on: date | None = None  # today when left out
    channel: str  # line | visit | form | card
    summary: Annotated[str, msgspec.Meta(min_length=2, max_length=200, pattern=r"\S")]
    details: Annotated[str, msgspec.Meta(max_length=4000)] = ""


class OpinionForward(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    department: Annotated[str, msgspec.Meta(min_length=2, max_length=100, pattern=r"\S")]
    on: date | None = None


class OpinionAnswer(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    answer: Note
    on: date | None = None


class OpinionFeedback(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    feedback: Note
    on: date | None = None


class OpinionEvaluate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    evaluation: str  # satisfied | basically_satisfied | unsatisfied
    note: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    on: date | None = None


class OpinionView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    collector_id: UUID
    collector_name: str
    collected_on: date
    channel: str
    summary: str
    details: str
    status: str
    department: str | None
    forwarded_on: date | None
    answer: str | None
    answered_on: date | None
    feedback: str | None
    fed_back_on: date | None
    evaluation: str | None
    evaluation_note: str | None
    evaluated_on: date | None
    updated_by_name: str | None
    recorded_at: datetime


class OpinionPage(msgspec.Struct, rename="camel", kw_only=True):
    items: list[OpinionView]
    total: int


class CollectorFigures(msgspec.Struct, rename="camel", kw_only=True):
    """One delegate's or studio's opinions collected in the period; rates 0..1 (4 places), None without any."""

    collector_id: UUID | None
    name: str | None
    opinions: int
    forwarded: int
    answered: int
    fed_back: int
    evaluated: int
    forwarded_rate: float | None
    answered_rate: float | None


class LedgerDashboard(msgspec.Struct, rename="camel", kw_only=True):
    from_: date = msgspec.field(name="from")
    to: date
    total: CollectorFigures
    collectors: list[CollectorFigures]


class DepartmentScores(msgspec.Struct, rename="camel", kw_only=True):
    """The served people's scores (1..5) of one handling department's tickets, averaged (2 places)."""

    provider_id: UUID | None  # None: tickets the answerable unit handled itself
    name: str | None
    kind: str | None
    rated: int  # tickets whose latest feedback in the period gave at least one score
    satisfied: int
    handler: float | None
    station: float | None
    process: float | None
    result: float | None
    overall: float | None  # the mean of the four averages that exist


class ScoresReport(msgspec.Struct, rename="camel", kw_only=True):
    from_: date = msgspec.field(name="from")
    to: date
    total: DepartmentScores
    departments: list[DepartmentScores]


class CollectorOption(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    name: str
    kind: str  # member_volunteer (a delegate) | expert_studio
