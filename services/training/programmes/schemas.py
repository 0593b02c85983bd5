"""The programme catalogue's and the sessions' API structs (camelCase on the wire; unknown input fields refused).

Credit hours and training days travel as JSON numbers both ways: ``"creditHours": "2"`` is a 422 naming
``body.creditHours`` (strict decoding), not two hours.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

Code = Annotated[str, msgspec.Meta(min_length=2, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
ProgrammeCode = Annotated[str, msgspec.Meta(min_length=2, max_length=60, pattern=r"^[a-z][a-z0-9_]*$")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
CategoryName = Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"\S")]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Description = Annotated[str, msgspec.Meta(max_length=2000)]
Cadence = Annotated[str, msgspec.Meta(max_length=60)]
UnitName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
# an orgtree path: ``/seg/seg/`` (C-collated text; a prefix is a subtree)
UnitPath = Annotated[str, msgspec.Meta(max_length=400, pattern=r"^/([^/]+/)+$")]
Moment = Annotated[datetime, msgspec.Meta(tz=True)]  # with its offset: a session happens at one instant


class CategoryView(msgspec.Struct, kw_only=True, rename="camel"):
    code: str
    name: str


class CategoryCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    code: Code
    name: CategoryName


class ProgrammeView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    code: str
    name: str
    description: str | None
    category: str
    audience: str
    track: str | None
    cadence: str | None
    default_credit_hours: float
    counts: list[str]
    active: bool


class ProgrammeCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    code: ProgrammeCode
    name: Name
    category: str  # one of the district's category codes
    audience: str  # members, cadres, volunteers or residents
    default_credit_hours: float  # 0 < h <= 24, one decimal
    description: Description | None = None
    track: str | None = None  # required or elective (the daily classroom)
    cadence: Cadence | None = None
    counts: list[str] = []  # pre_service, secretary_class, training_days


class ProgrammeUpdate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """Only the fields present change; the code stays (other records name the programme by it)."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    category: str | msgspec.UnsetType = msgspec.UNSET
    audience: str | msgspec.UnsetType = msgspec.UNSET
    default_credit_hours: float | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType | None = msgspec.UNSET
    track: str | msgspec.UnsetType | None = msgspec.UNSET
    cadence: Cadence | msgspec.UnsetType | None = msgspec.UNSET
    counts: list[str] | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET  # false: withdrawn, no new sessions


class SessionCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    programme_id: UUID
    title: Title
    place: Title
    starts_at: Moment
    ends_at: Moment
    category: str | None = None  # default: the programme's
    credit_hours: float | None = None  # default: the programme's
    training_days: float | None = None  # default: the session's length in days where the programme counts days
    organiser_unit_id: UUID | None = None
    organiser_unit_name: UnitName | None = None
    organiser_unit_path: UnitPath | None = None  # required of a street admin or cadre: under their scope
    checkin_opens_at: Moment | None = None  # default: 30 minutes before the start
    checkin_closes_at: Moment | None = None  # default: the end


class SessionUpdate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """Only the fields present change; the check-in window moves with the times unless it was set by hand."""

    programme_id: UUID | msgspec.UnsetType = msgspec.UNSET
    title: Title | msgspec.UnsetType = msgspec.UNSET
    place: Title | msgspec.UnsetType = msgspec.UNSET
    starts_at: Moment | msgspec.UnsetType = msgspec.UNSET
    ends_at: Moment | msgspec.UnsetType = msgspec.UNSET
    category: str | msgspec.UnsetType = msgspec.UNSET
    credit_hours: float | msgspec.UnsetType = msgspec.UNSET
    training_days: float | msgspec.UnsetType = msgspec.UNSET
    organiser_unit_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    organiser_unit_name: UnitName | msgspec.UnsetType | None = msgspec.UNSET
    organiser_unit_path: UnitPath | msgspec.UnsetType | None = msgspec.UNSET
    checkin_opens_at: Moment | msgspec.UnsetType = msgspec.UNSET
    checkin_closes_at: Moment | msgspec.UnsetType = msgspec.UNSET


class SessionView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    programme_id: UUID
    programme_code: str
    programme_name: str
    title: str
    category: str
    place: str
    starts_at: datetime
    ends_at: datetime
    checkin_opens_at: datetime
    checkin_closes_at: datetime
    organiser_unit_id: UUID | None
    organiser_unit_name: str | None
    organiser_unit_path: str | None
    credit_hours: float
    training_days: float
    counts: list[str]  # what attending counts towards besides hours (the programme's)
    cancelled_at: datetime | None
    created_by: UUID | None
    created_at: datetime
    updated_at: datetime
    attendance_count: int | None = None  # in the detail (GET /sessions/{id}); lists leave it null


class SessionPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[SessionView]
    next: str | None


class AttendanceView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    session_id: UUID
    person_id: UUID
    person_name: str
    person_kind: str
    method: str  # qr or manual
    reason: str | None  # why by hand
    checked_in_at: datetime
    recorded_by: UUID | None
    recorded_by_name: str | None
    credit_hours: float
    training_days: float


class AttendancePage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[AttendanceView]
    next: str | None
