from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated
from uuid import UUID

import msgspec

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Long = Annotated[str, msgspec.Meta(min_length=1, max_length=1000, pattern=r"\S")]
Count = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]


class ProgrammeCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    year: Annotated[int, msgspec.Meta(ge=2000, le=2100)]
    season: str  # spring | summer | autumn | winter
    title: Text | None = None  # the brand's name (夏送清凉 …) by default
    summary: Long | None = None
    starts_on: date | None = None  # the season's months by default (winter: December to February)
    ends_on: date | None = None


class ActivityCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    held_on: date  # within the programme's dates
    unit_id: UUID  # a village (community) or street
    what: Long
    members: Count = 0  # members taking part
    served: Count = 0  # people served


class TeaPointCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    place: Text
    unit_id: UUID
    opens_on: date
    closes_on: date
    opens_at: time
    closes_at: time
    on_duty: Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=20)]  # member volunteers' provider ids
    cups: Count = 0
    served: Count = 0


class TeaPointServed(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    cups: Count
    served: Count


class ProgrammeView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    year: int
    season: str
    title: str
    summary: str | None
    starts_on: date
    ends_on: date
    activities: int
    members: int
    served: int
    tea_points: int
    cups: int
    created_by_name: str | None
    created_at: datetime


class ActivityView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    programme_id: UUID
    held_on: date
    unit_id: UUID
    unit_name: str
    unit_level: str
    street_name: str
    what: str
    members: int
    served: int
    recorded_by_name: str | None
    recorded_at: datetime


class TeaPointView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    programme_id: UUID
    place: str
    unit_id: UUID
    unit_name: str
    unit_level: str
    street_name: str
    opens_on: date
    closes_on: date
    opens_at: time
    closes_at: time
    on_duty_ids: list[UUID]
    on_duty_names: list[str]
    cups: int
    served: int


class StreetLine(msgspec.Struct, rename="camel", kw_only=True):
    street_name: str
    activities: int = 0
    members: int = 0
    served: int = 0
    tea_points: int = 0
    cups: int = 0
    tea_served: int = 0


class SeasonReport(msgspec.Struct, rename="camel", kw_only=True):
    programme: ProgrammeView
    streets: list[StreetLine]
    total: StreetLine  # streetName is empty
