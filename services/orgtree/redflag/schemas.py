from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
Minimum = Annotated[int, msgspec.Meta(ge=0, le=1000)]
Note = Annotated[str, msgspec.Meta(max_length=500)]


class QuotaRule(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    level: Code  # a level code of the administrative tree: street, community ...
    role: Code  # full_time_worker | reserve_cadre
    minimum: Minimum


class QuotaRules(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    rules: Annotated[list[QuotaRule], msgspec.Meta(min_length=1, max_length=50)]


class QuotaRulesView(msgspec.Struct, rename="camel", kw_only=True):
    rules: list[QuotaRule]
    is_default: bool  # the district has kept the seed's rules


class StaffCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    member_id: UUID
    role: Code
    since: date
    until: date | None = None


class StaffEnd(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    until: date


class StaffView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    unit_id: UUID
    member_id: UUID
    member_name: str
    role: str
    since: date
    until: date | None
    current: bool


class ComplianceRow(msgspec.Struct, rename="camel", kw_only=True):
    unit_id: UUID
    unit_name: str
    level: str
    level_label: str
    role: str
    required: int
    actual: int
    short_by: int
    met: bool


class ComplianceView(msgspec.Struct, rename="camel", kw_only=True):
    """Per unit and rule in the scope: the units below quota first (the largest shortfall first), then tree order."""

    as_of: date
    units_below: int
    units_met: int
    rows: list[ComplianceRow]


class VenueCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    unit_id: UUID
    kind: Code
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
    address: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    opening_hours: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    item_count: Annotated[int, msgspec.Meta(ge=0, le=100000)] | None = None
    services: Annotated[list[Code], msgspec.Meta(max_length=10)] = msgspec.field(default_factory=list)


class CertificationChange(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    status: Code  # applied | certified | revoked
    changed_on: date
    signage: bool = False
    note: Note | None = None


class CertificationView(msgspec.Struct, rename="camel", kw_only=True):
    status: str
    changed_on: date
    signage: bool
    note: str | None
    recorded_at: datetime


class VenueView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    unit_id: UUID
    unit_name: str
    kind: str
    name: str
    address: str | None
    opening_hours: str | None
    item_count: int | None
    status: str | None  # None: never applied for certification
    status_on: date | None
    signage: bool
    services: list[str]  # a Sunshine station's services; empty for other kinds


class VenueDetail(msgspec.Struct, rename="camel", kw_only=True):
    venue: VenueView
    history: list[CertificationView]  # latest first


class BrandSet(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]  # at most 10 characters as read: brands.py
    description: Note = ""


class BrandView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    name: str
    description: str
    recorded_at: datetime
    replaced_at: datetime | None


class UnitBrandView(msgspec.Struct, rename="camel", kw_only=True):
    unit_id: UUID
    unit_name: str
    level: str
    brand: BrandView | None
    history: list[BrandView]  # the brands it replaced, latest first
