from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=30)]
Note = Annotated[str, msgspec.Meta(max_length=1000)]


class CaseOpen(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    member_id: UUID
    how_lost: Code  # HOW_LOST
    lost_since: date
    note: Note = ""


class SearchRecord(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    channel: Code  # SEARCH_CHANNELS
    searched_on: date
    note: Note = ""


class FoundRecord(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    channel: Code
    found_on: date
    note: Note = ""


class Regrouping(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    way: Code  # location | workplace | interest | business
    to_branch_id: UUID
    regrouped_on: date
    note: Note = ""


class UnqualifiedRecord(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    judged_on: date
    note: Note = ""


class StepView(msgspec.Struct, rename="camel", kw_only=True):
    kind: str
    channel: str | None
    happened_on: date
    note: str
    recorded_by: UUID | None
    recorded_at: datetime


class CaseView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    member_id: UUID
    member_name: str
    unit_id: UUID
    unit_name: str
    how_lost: str
    lost_since: date
    state: str
    regrouped_by: str | None
    to_branch_id: UUID | None
    steps: list[StepView]


class CaseLine(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    member_id: UUID
    member_name: str
    unit_id: UUID
    how_lost: str
    lost_since: date
    state: str
    regrouped_by: str | None


class LedgerCounts(msgspec.Struct, rename="camel", kw_only=True):
    lost: int = 0
    found: int = 0  # found at all: regrouped and unqualified included
    by_location: int = 0
    by_workplace: int = 0
    by_interest: int = 0
    by_business: int = 0
    unqualified: int = 0
    searching: int = 0


class LedgerLine(msgspec.Struct, rename="camel", kw_only=True):
    unit_id: UUID
    unit_name: str
    level: str
    counts: LedgerCounts


class LedgerView(msgspec.Struct, rename="camel", kw_only=True):
    unit: LedgerLine  # the unit asked for, all its subtree counted
    lines: list[LedgerLine]  # one per unit one level down
