from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec

# A number of yuan (a number, not a string: 200 or 12.5), at most two decimals, checked by the service.
Amount = Annotated[float, msgspec.Meta(gt=0, le=1_000_000)]
Purpose = Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=r"\S")]


class DonationCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    amount: Amount
    donor: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
    received_on: date | None = None  # today by default
    purpose: Annotated[str, msgspec.Meta(max_length=500)] = ""


class DisbursementCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """A payment out of the fund, for one micro-wish or one case (exactly one of the two)."""

    amount: Amount
    purpose: Purpose
    paid_on: date | None = None
    wish_id: UUID | None = None
    ticket_id: UUID | None = None


class EntryView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    kind: str
    amount: Decimal
    balance_after: Decimal
    on_day: date
    donor: str | None
    purpose: str
    wish_id: UUID | None
    ticket_id: UUID | None
    linked_title: str | None
    recorded_by_name: str | None
    booked_at: datetime


class VillageFund(msgspec.Struct, rename="camel", kw_only=True):
    village_id: UUID
    village_name: str
    street_name: str | None
    donations: Decimal
    disbursements: Decimal
    balance: Decimal


class Ledger(msgspec.Struct, rename="camel", kw_only=True):
    fund: VillageFund
    entries: list[EntryView]  # newest first
