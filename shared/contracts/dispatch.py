"""Events the dispatch service publishes (EVT-03 to EVT-09). Ids and non-personal facts only.

Training (points, accountability records) and documents (referral notices, evidence) consume them;
dispatch consumes its own ``TicketCreated`` and ``NotificationQueued`` to route and deliver off the
request path.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from shared.contracts.base import Event, event_type


@event_type
class TicketCreated(Event, frozen=True, kw_only=True):
    NAME = "dispatch.TicketCreated"
    VERSION = 1

    ticket_id: UUID
    channel: str
    category_id: UUID | None
    grid_id: UUID | None
    priority: str


@event_type
class TicketAssigned(Event, frozen=True, kw_only=True):
    """A provider signed for the order (accepted an offer or won a claim)."""

    NAME = "dispatch.TicketAssigned"
    VERSION = 1

    ticket_id: UUID
    provider_id: UUID
    member_id: UUID | None
    mode: str
    # the provider's login: documents lets the holder file photos of the work (absent in events from before it)
    provider_user_id: UUID | None = None


@event_type
class TicketReleased(Event, frozen=True, kw_only=True):
    """The order is no longer the provider's: handed back (退单) or the provider stood down; it is routed again."""

    NAME = "dispatch.TicketReleased"
    VERSION = 1

    ticket_id: UUID
    provider_id: UUID
    provider_user_id: UUID | None = None


@event_type
class TicketEscalated(Event, frozen=True, kw_only=True):
    """The case moved one rung up the ladder (EVT-05); ``automatic`` when its clock ran out."""

    NAME = "dispatch.TicketEscalated"
    VERSION = 1

    ticket_id: UUID
    from_level: int
    to_level: int
    level_code: str
    unit_id: UUID | None
    automatic: bool


@event_type
class TicketOverdue(Event, frozen=True, kw_only=True):
    """A yellow or red warning (EVT-04): training opens an accountability record against the unit."""

    NAME = "dispatch.TicketOverdue"
    VERSION = 1

    ticket_id: UUID
    warning: str  # yellow | red
    clock: str  # sign_for | arrival | resolution | referral
    level: int
    unit_id: UUID | None
    provider_id: UUID | None
    due_at: datetime
    # Training files the record against the answerable unit (its tree path and name) and, for a member
    # volunteer's order, the member; events from before these fields leave them None.
    member_id: UUID | None = None
    unit_path: str | None = None
    unit_name: str | None = None
    warned_at: datetime | None = None


@event_type
class ReferralIssued(Event, frozen=True, kw_only=True):
    """A street supervision meeting issued a referral notice (EVT-03); documents renders it."""

    NAME = "dispatch.ReferralIssued"
    VERSION = 1

    ticket_id: UUID
    referral_id: UUID
    number: str
    due_on: date
    # What the printed notice says (optional: events published before they existed lack them).
    ticket_number: str | None = None
    ticket_title: str | None = None
    ticket_path: str | None = None  # the case's grid, where the notice is filed
    meeting: str | None = None  # the issuing street supervision meeting
    responsible_unit: str | None = None
    responsible_person: str | None = None  # a name, as printed on the notice
    issued_on: date | None = None


@event_type
class TicketResolved(Event, frozen=True, kw_only=True):
    NAME = "dispatch.TicketResolved"
    VERSION = 1

    ticket_id: UUID
    level: int
    provider_id: UUID | None


@event_type
class TicketClosed(Event, frozen=True, kw_only=True):
    """Closed after feedback and callback (EVT-08); scores feed handler and unit metrics."""

    NAME = "dispatch.TicketClosed"
    VERSION = 1

    ticket_id: UUID
    satisfied: bool | None
    handler_score: int | None
    provider_id: UUID | None
    unit_id: UUID | None
    callback_waived: bool


@event_type
class ServiceCompleted(Event, frozen=True, kw_only=True):
    """An order's service was completed (EVT-06): hours for the time bank and the performance report."""

    NAME = "dispatch.ServiceCompleted"
    VERSION = 1

    ticket_id: UUID
    provider_id: UUID
    member_id: UUID | None
    minutes: int
    points: int


@event_type
class WishFulfilled(Event, frozen=True, kw_only=True):
    """A micro-wish was fulfilled with evidence (EVT-09)."""

    NAME = "dispatch.WishFulfilled"
    VERSION = 1

    wish_id: UUID
    claimer_kind: str
    claimer_provider_id: UUID | None
    claimer_user_id: UUID | None
    evidence_document_id: UUID | None = None  # the photo kept in documents (None: fulfilled with a note)


@event_type
class WishClaimed(Event, frozen=True, kw_only=True):
    """A micro-wish was claimed: documents knows the wish (in its grid) and lets the claimer file its photo."""

    NAME = "dispatch.WishClaimed"
    VERSION = 1

    wish_id: UUID
    grid_id: UUID | None
    claimer_kind: str  # person | unit
    claimer_user_id: UUID | None


@event_type
class NotificationQueued(Event, frozen=True, kw_only=True):
    """A message entered the delivery log; the dispatch worker delivers it."""

    NAME = "dispatch.NotificationQueued"
    VERSION = 1

    notification_id: UUID
