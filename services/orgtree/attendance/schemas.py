from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec

Count = Annotated[int, msgspec.Meta(ge=1, le=31)]
Choice = Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
Note = Annotated[str, msgspec.Meta(max_length=200)]


class Thresholds(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """Absences in a month bringing each step; each step above the one before."""

    reminder: Count
    criticism: Count
    fine: Count


class ThresholdsView(msgspec.Struct, rename="camel", kw_only=True):
    reminder: int
    criticism: int
    fine: int
    period: str  # month
    is_default: bool


class CadreView(msgspec.Struct, rename="camel", kw_only=True):
    member_id: UUID
    member_name: str
    kinds: list[str]  # stationed | village


class DutyCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    day: date
    member_id: UUID


class RotationCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    month: Annotated[str, msgspec.Meta(max_length=7)]


class DutyView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    unit_id: UUID
    day: date
    member_id: UUID
    member_name: str


class RosterDay(msgspec.Struct, rename="camel", kw_only=True):
    day: date
    entry_id: UUID | None
    member_id: UUID | None
    member_name: str | None


class RosterView(msgspec.Struct, rename="camel", kw_only=True):
    unit_id: UUID
    unit_name: str
    month: str
    today: date
    on_duty_today: DutyView | None
    days: list[RosterDay]  # every working day of the month, with its cadre on duty or none yet
    cadres: list[CadreView]


class UnitToday(msgspec.Struct, rename="camel", kw_only=True):
    unit_id: UUID
    unit_name: str
    cadres: int
    on_duty_today: str | None  # the cadre's name


class LeaveCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    member_id: UUID
    first_day: date
    last_day: date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class LeaveDecision(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    decision: Choice  # approved | refused
    note: Note | None = None


class LeaveView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    unit_id: UUID
    member_id: UUID
    member_name: str
    first_day: date
    last_day: date
    workdays: int
    reason: str
    state: str
    decision_note: str | None


class AttendanceCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    member_id: UUID
    day: date
    status: Choice  # present | on_leave | absent
    note: Note | None = None


class AttendanceView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    unit_id: UUID
    member_id: UUID
    member_name: str
    day: date
    status: str
    note: str | None
    leave_request_id: UUID | None


class CadreMonth(msgspec.Struct, rename="camel", kw_only=True):
    member_id: UUID
    member_name: str
    kinds: list[str]
    present: int
    on_leave: int
    absent: int  # without approved leave: these count toward the escalation
    step: str  # none | reminder | criticism | fine


class AttendanceReport(msgspec.Struct, rename="camel", kw_only=True):
    unit_id: UUID
    unit_name: str
    month: str
    workdays: int
    thresholds: ThresholdsView
    cadres: list[CadreMonth]  # the highest step first, then by name
    records: list[AttendanceView]  # the month's records, by day
