from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Reason = Annotated[str, msgspec.Meta(min_length=2, max_length=500, pattern=r"\S")]
Latitude = Annotated[float, msgspec.Meta(ge=-90, le=90)]
Longitude = Annotated[float, msgspec.Meta(ge=-180, le=180)]


class TicketCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    channel: str
    title: Title
    description: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    category_id: UUID | None = None
    item_id: UUID | None = None
    priority: str = "normal"
    caller_name: Annotated[str, msgspec.Meta(min_length=1, max_length=50)] | None = None
    caller_phone: str | None = None
    household_id: UUID | None = None
    grid_id: UUID | None = None
    address: Annotated[str, msgspec.Meta(min_length=2, max_length=200)] | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    scope_kind: str | None = None  # common | individual
    difficulty: str | None = None  # solvable_now | hard


class TicketClassify(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """Operator's classification and placement of a ticket that has not been signed for yet."""

    category_id: UUID | msgspec.UnsetType = msgspec.UNSET
    item_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    priority: str | msgspec.UnsetType = msgspec.UNSET
    household_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    grid_id: UUID | msgspec.UnsetType = msgspec.UNSET
    scope_kind: str | msgspec.UnsetType | None = msgspec.UNSET
    difficulty: str | msgspec.UnsetType | None = msgspec.UNSET


class DuplicateView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    number: str
    title: str
    status: str
    created_at: datetime
    same: list[str]  # household | address | caller


class TicketView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    number: str
    channel: str
    status: str
    priority: str
    title: str
    description: str
    category_id: UUID | None
    item_id: UUID | None
    scope_kind: str | None
    difficulty: str | None
    caller_name: str | None  # masked
    caller_phone: str | None  # masked
    household_id: UUID | None
    address: str | None  # masked
    grid_id: UUID | None
    level: int
    unit_id: UUID | None
    provider_id: UUID | None
    dispatched_at: datetime | None
    accepted_at: datetime | None
    arrived_at: datetime | None
    arrival_late: bool
    completed_at: datetime | None
    resolution_note: str | None
    material_cost: Decimal | None
    gifts_flagged: bool
    warning: str | None
    merged_into_id: UUID | None
    created_at: datetime
    closed_at: datetime | None


class TicketCreated(msgspec.Struct, rename="camel", kw_only=True):
    ticket: TicketView
    possible_duplicates: list[DuplicateView]


class TicketPage(msgspec.Struct, rename="camel", kw_only=True):
    items: list[TicketView]
    next: str | None


class HistoryView(msgspec.Struct, rename="camel", kw_only=True):
    action: str
    actor: str
    at: datetime
    from_status: str | None
    to_status: str | None
    from_level: int | None
    to_level: int | None
    reason: str | None
    details: dict[str, object]


class MergeRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    into_ticket_id: UUID
    reason: Reason = "重复工单"


class CancelRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    reason: Reason


class RevealRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    field: str  # callerName | callerPhone | address
    purpose: Reason


class RevealView(msgspec.Struct, rename="camel", kw_only=True):
    field: str
    value: str


class CallerLookup(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    phone: str


class CallerView(msgspec.Struct, rename="camel", kw_only=True):
    phone: str  # masked
    earlier_tickets: list[DuplicateView]
    households: list[dict[str, object]]  # orgtree's masked household views
    households_available: bool  # false when orgtree could not be asked (the lookup still answers)
