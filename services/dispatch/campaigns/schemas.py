from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated
from uuid import UUID

import msgspec

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]


class CalendarUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    mass_service_day: Annotated[int, msgspec.Meta(ge=1, le=28)] | None = None  # every month has it
    red_vest_weekday: Annotated[int, msgspec.Meta(ge=1, le=7)] | None = None  # Monday=1


class CampaignCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    kind: str  # mass_service | red_vest
    held_on: date  # must fall on the district's day of that kind
    unit_id: UUID  # a village (community) or street
    title: Text | None = None


class DutyCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    starts_at: time
    ends_at: time | None = None
    provider_id: UUID  # a member volunteer of the district
    role: str  # street_cadre | branch_member
    vest: Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"\S")]
    matter: Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=r"\S")]
    served: Annotated[int, msgspec.Meta(ge=0, le=10000)] = 0


class ServedUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    served: Annotated[int, msgspec.Meta(ge=0, le=10000)]


class DutyView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    starts_at: time
    ends_at: time | None
    provider_id: UUID
    person_name: str
    role: str
    vest: str
    matter: str
    served: int


class CampaignView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    kind: str
    held_on: date
    title: str
    unit_id: UUID
    unit_name: str
    unit_level: str
    people_served: int
    duties: int
    roster: list[DutyView] | None
    recorded_by_name: str | None
    recorded_at: datetime


class CalendarDate(msgspec.Struct, rename="camel", kw_only=True):
    day: date
    kind: str
    campaigns: list[CampaignView]


class CalendarView(msgspec.Struct, rename="camel", kw_only=True):
    mass_service_day: int
    red_vest_weekday: int
    month: str  # YYYY-MM
    dates: list[CalendarDate]


class UnitOption(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    name: str
    level: str
    street_name: str | None


class MemberOption(msgspec.Struct, rename="camel", kw_only=True):
    provider_id: UUID
    name: str
