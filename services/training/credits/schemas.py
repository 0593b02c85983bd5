"""The credit rules' and standings' API structs (camelCase on the wire; unknown input fields refused).

Amounts go out as JSON numbers (one decimal place at most), so a page can compare and chart them as they are."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec


class RuleView(msgspec.Struct, kw_only=True, rename="camel"):
    code: str
    name: str
    measure: str  # credit_hours | classes | training_days | pre_service
    applies_to: list[str]  # person kinds and duties (a volunteer: the duty or the flag)
    required: float
    window_years: int  # the rolling window (training days); 1 for the calendar-year rules
    active: bool
    updated_at: datetime


class RuleUpdate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """The district's values for one rule. Ranges depend on the rule (``credits/rules.py``) and are checked there."""

    required: float
    active: bool
    window_years: int = 1


class CategoryHours(msgspec.Struct, kw_only=True, rename="camel"):
    category: str
    name: str
    credit_hours: float
    sessions: int


class RuleStanding(msgspec.Struct, kw_only=True, rename="camel"):
    code: str
    name: str
    measure: str
    required: float
    achieved: float
    met: bool
    short_by: float
    # annual credit-hour rules in the current year: the share of the target due by today, and whether it is reached
    expected_to_date: float | None = None
    on_pace: bool | None = None


class Standing(msgspec.Struct, kw_only=True, rename="camel"):
    person_id: UUID
    name: str
    kind: str
    duties: list[str]
    active: bool
    year: int
    as_of: datetime  # the end of the year, or now for the current year
    year_elapsed: float  # the share of the year gone by at ``as_of`` (1 for a past year)
    credit_hours: float
    sessions: int
    by_category: list[CategoryHours]
    classes: int
    training_days: float  # in the rolling window ending at ``as_of``
    training_days_since: datetime
    pre_service_done: bool
    pre_service_at: datetime | None
    rules: list[RuleStanding]  # only the rules in force that apply to this person
    met: bool


class Shortfall(msgspec.Struct, kw_only=True, rename="camel"):
    code: str
    name: str
    required: float
    achieved: float
    short_by: float


class BelowTarget(msgspec.Struct, kw_only=True, rename="camel"):
    person_id: UUID
    name: str
    kind: str
    duties: list[str]
    branch_path: str | None
    grid_path: str | None
    credit_hours: float
    classes: int
    training_days: float | None  # rural cadres only
    pre_service_done: bool | None  # volunteers only
    missing: list[Shortfall]


class BelowTargetPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[BelowTarget]
    next: str | None
    total: int
    year: int
    basis: str  # annual | pro_rata
    year_elapsed: float
