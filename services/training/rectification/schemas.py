"""Rectification lists' API structs (camelCase; unknown fields refused; a number or date sent wrongly is a 422
naming the field)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

Path = Annotated[str, msgspec.Meta(min_length=1, max_length=400, pattern=r"^/")]
UnitName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=r"\S")]
Leader = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Month = Annotated[str, msgspec.Meta(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="2026-11")]


class ItemCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    unit_path: Path  # the lead unit (within the caller's scope)
    unit_name: UnitName
    problem: Text
    measure: Text
    leader: Leader  # the responsible leader
    deadline: date  # today or later (China's date)
    review_id: UUID | None = None  # the duty review the problem was found at


class ProgressWrite(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    month: Month
    note: Text


class DoneWrite(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    note: Text  # what was done (销号说明)


class ProgressView(msgspec.Struct, kw_only=True, rename="camel"):
    month: str
    note: str
    recorded_at: datetime
    recorded_by_name: str | None


class ItemView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    unit_path: str
    unit_name: str
    problem: str
    measure: str
    leader: str
    deadline: date
    overdue: bool  # open and past its deadline
    review_id: UUID | None
    secretary_name: str | None  # of the linked duty review
    done_at: datetime | None
    done_note: str | None
    done_by_name: str | None
    created_by_name: str | None
    created_at: datetime
    progress: list[ProgressView]


class ItemsPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[ItemView]
    next: str | None
