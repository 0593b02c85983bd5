"""Open organisational-life bases' API structs (camelCase; unknown fields refused; numbers strictly)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

Path = Annotated[str, msgspec.Meta(min_length=1, max_length=400, pattern=r"^/")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
UnitName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Text = Annotated[str, msgspec.Meta(max_length=4000)]


class Strict(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    pass


class BaseCreate(Strict):
    venue_id: UUID  # orgtree's venue of kind open_org_life_base
    unit_path: Path  # the venue's unit
    unit_name: UnitName
    name: Name
    capacity: Annotated[int, msgspec.Meta(ge=1, le=10000)]


class ActivityCreate(Strict):
    title: Name
    minutes: Annotated[int, msgspec.Meta(ge=15, le=1440)]
    description: Text = ""


class BookingCreate(Strict):
    activity_id: UUID
    branch_id: UUID
    branch_path: Path
    branch_name: UnitName
    starts_at: datetime
    expected: Annotated[int, msgspec.Meta(ge=1, le=10000)]


class AttendanceWrite(Strict):
    attended: Annotated[int, msgspec.Meta(ge=0, le=10000)]
    note: Text = ""


class ActivityView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    title: str
    description: str
    minutes: int
    active: bool


class BaseView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    venue_id: UUID | None
    unit_path: str
    unit_name: str
    name: str
    capacity: int
    activities: list[ActivityView]


class BookingView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    base_id: UUID
    activity_id: UUID
    activity_title: str
    branch_id: UUID
    branch_path: str
    branch_name: str
    starts_at: datetime
    expected: int
    state: str
    attended: int | None
    attendance_note: str
    booked_by_name: str | None
