"""The offers' API: what a district admin sends and sees."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class OfferCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    member_id: UUID
    to_district: Annotated[str, msgspec.Meta(min_length=1, max_length=63)]  # the registry's slug or id
    reason: Reason
    transfer_on: date


class OfferAccept(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    branch_id: UUID


class OfferDecline(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    reason: Reason


class DistrictRef(msgspec.Struct, rename="camel", kw_only=True):
    id: str
    slug: str
    name: str


class HistorySummary(msgspec.Struct, rename="camel", kw_only=True):
    attendance: int
    credit_hours: str
    points: int
    assessments: int


class OfferRead(msgspec.Struct, rename="camel", kw_only=True):
    id: str
    direction: str  # outgoing | incoming, as seen by the caller's district
    status: str
    from_district: DistrictRef
    to_district: DistrictRef
    reason: str
    transfer_on: date
    created_at: datetime
    member_id: str | None  # the sending district's member (outgoing only); the new member's once accepted
    member: dict[str, Any] | None  # name masked for the receiving district until accepted
    history: HistorySummary | None  # None: training's history has not arrived yet
    branch_id: str | None = None
    decline_reason: str | None = None
    decided_at: datetime | None = None
