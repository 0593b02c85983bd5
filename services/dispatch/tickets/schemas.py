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
    # DSP-02: the published number the caller dialled; the call is placed at the unit that owns it.
    dialled_number: Annotated[str, msgspec.Meta(min_length=1, max_length=30)] | None = None


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
    category_id: UUID | None = None


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
    # On the list and a single ticket: the grid's name and the clock that is due first, so a desk needs no
    # further call per row. Absent (null) in the answers of actions.
    grid_name: str | None = None
    clock: RunningClock | None = None
    dialled_number: str | None = None  # DSP-02: the number the call came in on (digits), if one was given
    # DSP-17: the step of collect → classify → route → supervise → feed_back the ticket is at (None when
    # cancelled or merged); GET /api/dispatch/stages/tickets/{id} tells each step's when and who.
    stage: str | None = None


class RunningClock(msgspec.Struct, rename="camel", kw_only=True):
    """The ticket's running clock that falls due first: sign_for | arrival | resolution | red."""

    kind: str
    due_at: datetime


class DuplicateProbe(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """What the operator has of a call so far, to find open tickets it may repeat before saving a new one."""

    caller_phone: str | None = None
    household_id: UUID | None = None
    address: Annotated[str, msgspec.Meta(min_length=2, max_length=200)] | None = None
    category_id: UUID | None = None


class TicketCreated(msgspec.Struct, rename="camel", kw_only=True):
    ticket: TicketView
    possible_duplicates: list[DuplicateView]


class TicketPage(msgspec.Struct, rename="camel", kw_only=True):
    items: list[TicketView]
    next: str | None


class HistoryView(msgspec.Struct, rename="camel", kw_only=True):
    action: str
    actor: str  # a user id, system:<process> or resident:<...>
    # The actor as people read it: a name (masked unless the reader is staff or that person), or a system
    # label such as 「系统（自动派单）」; None for a person on a row written before names were kept.
    actor_name: str | None
    actor_kind: str | None  # staff | provider | resident | system
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


class NoteCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """What a caller adds by phone to an open ticket (a repeat call), kept in the ticket's history."""

    text: Annotated[str, msgspec.Meta(min_length=2, max_length=1000, pattern=r"\S")]


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


class ServingMember(msgspec.Struct, rename="camel", kw_only=True):
    """A red-cell member who serves the caller's household, as orgtree shows them to the desk."""

    member_id: UUID
    name: str
    phone: str | None  # masked


class CallerHousehold(msgspec.Struct, rename="camel", kw_only=True):
    """A caller's household as orgtree shows it to the desk: place and who serves it, personal data masked."""

    id: UUID
    grid_id: UUID
    grid_name: str
    label: str
    head_name: str | None
    address: str | None
    phone: str | None
    served_by: list[ServingMember]


class CallerHouseholds(msgspec.Struct, rename="camel", kw_only=True):
    """What orgtree answered about the caller's households.

    ``status``: ``found`` (``items`` holds them), ``not_found`` (orgtree knows no household with this number),
    ``refused`` (orgtree refused this account the lookup: a permission to fix, not an outage) or
    ``unavailable`` (orgtree could not be reached or failed: try again). ``message`` says why for the last two.
    """

    status: str
    items: list[CallerHousehold]
    message: str | None = None


class CallerView(msgspec.Struct, rename="camel", kw_only=True):
    phone: str  # masked
    earlier_tickets: list[DuplicateView]
    households: CallerHouseholds
