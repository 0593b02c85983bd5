"""The points ledger's API structs (camelCase on the wire; unknown input fields refused, numbers strictly)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

MAX_HAND_POINTS = 1000
HandPoints = Annotated[int, msgspec.Meta(ge=-MAX_HAND_POINTS, le=MAX_HAND_POINTS)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]


class PointsCategoryView(msgspec.Struct, kw_only=True, rename="camel"):
    code: str
    name: str
    source: str | None  # the event that credits it (dispatch.ServiceCompleted ...); None: by hand only
    rule: str  # from_event | fixed | per_hour | manual
    points: int  # fixed: each time; per_hour: per hour of service or credit hour
    active: bool


class PointsCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """Points by hand (a visit, a correction): negative takes points back; never zero."""

    person_id: UUID
    category: Code
    points: HandPoints
    reason: Reason


class PointsEntryView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    person_id: UUID
    category: str
    points: int
    reason: str
    source_kind: str  # dispatch.ServiceCompleted | dispatch.WishFulfilled | training.AttendanceRecorded | manual
    source_id: UUID  # the ticket, wish or attendance (manual: the entry itself)
    occurred_at: datetime
    recorded_at: datetime
    recorded_by_name: str | None


class PersonPointsPage(msgspec.Struct, kw_only=True, rename="camel"):
    """One person's entries in the period, newest first, paged; ``total`` is the whole period's."""

    person_id: UUID
    name: str
    total: int
    items: list[PointsEntryView]
    next: str | None


class PersonTotalView(msgspec.Struct, kw_only=True, rename="camel"):
    rank: int  # 1 for the most points; equal totals share a rank
    person_id: UUID
    name: str
    kind: str
    flags: list[str]
    branch_path: str | None
    grid_path: str | None
    total: int


class PointsTotalsPage(msgspec.Struct, kw_only=True, rename="camel"):
    """Everyone on the rolls under the unit (with the flag), ranked by their total in the period."""

    period: str
    starts_at: datetime
    ends_at: datetime
    items: list[PersonTotalView]
    next: str | None
