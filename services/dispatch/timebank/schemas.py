from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

Points = Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]


class RedemptionCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """Points exchanged for daily goods or housekeeping services (DSP-08)."""

    points: Points
    item: Text


class TransferCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """Points given to a paired beneficiary household (DSP-08)."""

    household_id: UUID
    points: Points
    reason: Text


class EntryView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    kind: str  # credit | redemption | transfer_out | transfer_in
    points: int  # signed
    minutes: int
    ticket_id: UUID | None
    counterpart_account_id: UUID | None
    reason: str | None
    at: datetime


class AccountView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID | None  # None: nothing was ever credited to this holder
    holder_kind: str
    holder_id: UUID
    balance_points: int
    service_minutes: int
    entries: list[EntryView]  # newest first, at most 100


class MovementView(msgspec.Struct, rename="camel", kw_only=True):
    """The outcome of a redemption or a transfer: the entry written and the balance left."""

    entry: EntryView
    balance_points: int
