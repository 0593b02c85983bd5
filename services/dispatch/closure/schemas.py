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
    # How it was collected: an operator says phone (they called the resident) or sms (they took down the
    # resident's SMS reply); a resident's own form is page, and may leave it out.
    via: str | None = None


class CallbackCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """A callback made (reached | unreachable), or a waiver (hotline supervisors and district administrators)
    with a reason code from ``GET /api/dispatch/closure/waiver-reasons`` and an optional note."""

    outcome: str | None = None
    note: Comment | None = None
    waived: bool = False
    waiver_reason: Annotated[str, msgspec.Meta(max_length=40)] | None = None


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
    via: str | None  # sms | page | phone; None for forms taken before it was recorded
    taken_by: UUID | None  # the operator who took it down (phone, sms); None when the resident gave it
    taken_by_name: str | None  # their name (masked unless the reader is staff or that operator)
    ticket_status: str  # "assigned" again when dissatisfaction reopened the ticket


class CallbackView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    ticket_id: UUID
    outcome: str  # reached | unreachable | waived
    note: str | None
    waiver_reason: str | None  # a code (free text on waivers recorded before the list existed)
    waiver_reason_label: str | None  # zh-CN label of the code
    by_name: str | None  # who called or waived (masked unless the reader is staff or that person)
    at: datetime


class WaiverReasonView(msgspec.Struct, rename="camel", kw_only=True):
    code: str
    label: str  # zh-CN
    requires: str | None  # zh-CN: what the ticket must show for the reason to be accepted


class ClosureView(msgspec.Struct, rename="camel", kw_only=True):
    """Where a resolved ticket stands on its way to closure (DSP-07)."""

    ticket: TicketView
    awaiting: list[str]  # feedback | callback; empty: an operator may close it
    feedback: list[FeedbackView]
    callbacks: list[CallbackView]
