from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec

from services.dispatch.tickets.schemas import TicketView

Note = Annotated[str, msgspec.Meta(min_length=2, max_length=4000, pattern=r"\S")]
Comment = Annotated[str, msgspec.Meta(max_length=1000)]
Score = Annotated[int, msgspec.Meta(ge=1, le=5)]


class ResolutionCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """The handler's report that the work is done (DSP-06 pledge fields, DSP-20 unsolvable cases)."""

    note: Note
    service_minutes: Annotated[int, msgspec.Meta(ge=0, le=24 * 60)] | None = None
    material_cost: Decimal | None = None  # only materials are charged (checked: 0..100000)
    gifts_accepted: Annotated[str, msgspec.Meta(max_length=200)] | None = None  # must stay empty (pledge)
    unsolvable: bool = False
    explanation: Annotated[str, msgspec.Meta(max_length=2000)] | None = None  # required when unsolvable


class FeedbackCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """The served person's feedback form (服务意见反馈单) with DSP-19's four scores."""

    satisfied: bool
    handler_score: Score | None = None
    station_score: Score | None = None
    process_score: Score | None = None
    result_score: Score | None = None
    comment: Comment | None = None


class CallbackCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """A callback made (reached | unreachable), or a waiver with its reason."""

    outcome: str | None = None
    note: Comment | None = None
    waived: bool = False
    waiver_reason: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class FeedbackView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    ticket_id: UUID
    satisfied: bool
    handler_score: int | None
    station_score: int | None
    process_score: int | None
    result_score: int | None
    comment: str | None
    given_at: datetime
    ticket_status: str  # "assigned" again when dissatisfaction reopened the ticket


class CallbackView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    ticket_id: UUID
    outcome: str  # reached | unreachable | waived
    note: str | None
    waiver_reason: str | None
    at: datetime


class ClosureView(msgspec.Struct, rename="camel", kw_only=True):
    """Where a resolved ticket stands on its way to closure (DSP-07)."""

    ticket: TicketView
    awaiting: list[str]  # feedback | callback; empty: an operator may close it
    feedback: list[FeedbackView]
    callbacks: list[CallbackView]
