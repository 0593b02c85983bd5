from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

Label = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Text = Annotated[str, msgspec.Meta(max_length=500)]


class HouseholdCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    grid_id: UUID
    label: Label  # how the grid knows the household, e.g. "3组12号"; not personal data
    head_name: Annotated[str, msgspec.Meta(min_length=1, max_length=50)] | None = None
    address: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    phone: str | None = None
    categories: list[str] = []
    is_member_hub: bool = False
    plaque: str | None = None
    plaque_issued_on: date | None = None


class HouseholdUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    label: Label | msgspec.UnsetType = msgspec.UNSET
    head_name: Annotated[str, msgspec.Meta(min_length=1, max_length=50)] | msgspec.UnsetType = msgspec.UNSET
    address: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | msgspec.UnsetType = msgspec.UNSET
    phone: str | msgspec.UnsetType = msgspec.UNSET
    categories: list[str] | msgspec.UnsetType = msgspec.UNSET
    is_member_hub: bool | msgspec.UnsetType = msgspec.UNSET
    plaque: str | msgspec.UnsetType | None = msgspec.UNSET
    plaque_issued_on: date | msgspec.UnsetType | None = msgspec.UNSET


class HouseholdView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    grid_id: UUID
    label: str
    head_name: str | None
    address: str | None
    phone: str | None
    categories: list[str]
    is_member_hub: bool
    plaque: str | None
    plaque_issued_on: date | None
    created_at: datetime


class HouseholdPage(msgspec.Struct, rename="camel", kw_only=True):
    items: list[HouseholdView]
    next_after: str | None


class HouseholdEventCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    kind: str
    occurred_on: date
    note: Text | None = None


class HouseholdEventView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    household_id: UUID
    kind: str
    occurred_on: date
    note: str | None
    recorded_at: datetime


class CallerLookupRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """The number a caller rings from (in the body: never in URLs or logs)."""

    phone: Annotated[str, msgspec.Meta(min_length=1, max_length=30)]


class ServingMember(msgspec.Struct, rename="camel", kw_only=True):
    """A red-cell member who serves the household: whom the hotline can send."""

    member_id: UUID
    name: str
    phone: str | None  # masked


class CallerHouseholdView(msgspec.Struct, rename="camel", kw_only=True):
    """What the hotline desk sees of a caller's household: where it is and who serves it, personal data masked."""

    id: UUID
    grid_id: UUID
    grid_name: str
    label: str
    head_name: str | None
    address: str | None
    phone: str | None
    served_by: list[ServingMember]
