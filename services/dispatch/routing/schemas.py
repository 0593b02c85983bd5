from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from services.dispatch.tickets.schemas import TicketView

DeclineReason = Annotated[str, msgspec.Meta(min_length=2, max_length=200, pattern=r"\S")]
ReturnReason = Annotated[str, msgspec.Meta(min_length=2, max_length=500, pattern=r"\S")]


class AssignRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    provider_id: UUID


class DeclineRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    reason: DeclineReason


class ReturnRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    reason: ReturnReason


class OfferView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    ticket_id: UUID
    ticket_number: str
    title: str
    priority: str
    address: str | None  # masked
    grid_id: UUID | None
    provider_id: UUID
    mode: str  # assign | claim
    rank: int
    reasons: list[str]
    status: str
    offered_at: datetime
    expires_at: datetime
    answered_at: datetime | None
    decline_reason: str | None
    accepted_on_behalf_by: UUID | None  # the operator who signed for it when the provider phoned in


class RoutingView(msgspec.Struct, rename="camel", kw_only=True):
    """A ticket after a routing step, with the offers that step made (none: it waits in the queue)."""

    ticket: TicketView
    offers: list[OfferView]


class TaskView(msgspec.Struct, rename="camel", kw_only=True):
    """A ticket the caller signed for and has not resolved yet, with what they need to get there: the address
    and the caller's phone in clear on ``GET /tasks/{ticketId}`` (each read audited), masked in the list; the
    caller's name masked."""

    ticket_id: UUID
    number: str
    status: str  # assigned | on_site
    priority: str
    title: str
    description: str
    category_id: UUID | None
    item_id: UUID | None
    household_id: UUID | None
    grid_id: UUID | None
    caller_name: str | None  # masked
    caller_phone: str | None  # in clear on one task, masked in the list
    address: str | None  # in clear on one task, masked in the list
    latitude: float | None
    longitude: float | None
    provider_id: UUID
    accepted_at: datetime | None
    arrived_at: datetime | None
    arrival_late: bool
