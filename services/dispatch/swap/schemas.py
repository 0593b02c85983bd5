"""The idle-item swap's bodies and answers (camelCase on the wire)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Note = Annotated[str, msgspec.Meta(max_length=500)]


class ItemCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """An idle item brought to the community's desk (registered by staff for the resident or member)."""

    title: Text
    category: str
    condition: str
    community_id: UUID  # a community (village) of the district
    owner_name: Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"\S")]
    owner_phone: str | None = None
    quantity: Annotated[int, msgspec.Meta(ge=1, le=100)] = 1  # e.g. a set of 12 picture books
    description: Note = ""
    received_on: date | None = None  # today by default


class EventCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    unit_id: UUID  # a community or a street: one swap day a month each
    held_on: date
    place: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")] | None = None


class ItemsBrought(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    item_ids: Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=100)]


class SwapCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """Two items brought to the swap day change hands: each owner takes the other's."""

    item_id: UUID
    for_item_id: UUID


class DonationCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    household_id: UUID  # a household in need (困难户) of the district, as dispatch's directory knows it
    donated_on: date | None = None  # today (or the swap day's date) by default
    event_id: UUID | None = None  # given away at this swap day (the item was brought to it)
    note: Note = ""


class StepView(msgspec.Struct, rename="camel", kw_only=True):
    step: str
    event_id: UUID | None
    detail: str
    actor_name: str | None
    at: datetime


class ItemView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    title: str
    category: str
    condition: str
    quantity: int
    description: str
    community_id: UUID
    community_name: str
    street_name: str | None
    owner_name: str  # masked
    owner_phone: str | None  # masked
    received_on: date
    state: str
    event_id: UUID | None  # the swap day it was swapped or given away at
    swapped_for_id: UUID | None
    swapped_for_title: str | None
    swapped_to_name: str | None  # the other item's owner, masked
    household_id: UUID | None
    settled_on: date | None
    note: str
    registered_by_name: str | None
    registered_at: datetime
    steps: list[StepView] | None = None  # on the item's own page


class EventView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    held_on: date
    month: str
    place: str
    title: str
    unit_id: UUID
    unit_name: str
    unit_level: str
    brought: int
    swapped: int
    donated: int
    recorded_by_name: str | None
    recorded_at: datetime
    items: list[ItemView] | None = None  # on the swap day's own page


class UnitOption(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    name: str
    level: str
    street_name: str | None


class ReportRow(msgspec.Struct, rename="camel", kw_only=True):
    community_id: UUID | None  # None on the totals row
    community_name: str
    street_name: str | None
    registered: int
    swapped: int
    donated: int
    households_helped: int


class MonthReport(msgspec.Struct, rename="camel", kw_only=True):
    """A month per community: items registered, swapped and donated, distinct households given to."""

    month: str
    rows: list[ReportRow]
    totals: ReportRow
