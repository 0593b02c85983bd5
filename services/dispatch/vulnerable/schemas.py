"""The vulnerable-group registry's bodies and answers (camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

Category = Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
Note = Annotated[str, msgspec.Meta(max_length=500)]


class VulnerableCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    household_id: UUID
    categories: Annotated[list[Category], msgspec.Meta(min_length=1, max_length=3)]
    volunteer_id: UUID | None = None  # pair at once, or later with PUT .../volunteer
    note: Note = ""


class PairingUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    volunteer_id: UUID


class CareVisitCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """The paired volunteer's visit; recorded as a micro-visit of the household (one visit model)."""

    visited_at: datetime
    channel: str
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class VolunteerView(msgspec.Struct, rename="camel", kw_only=True):
    """A member volunteer of the household's grid, with what DSP-12 records of them."""

    id: UUID
    name: str  # masked unless the reader is hotline staff or the volunteer
    phone: str | None  # masked
    card_number: str | None
    insured: bool
    pre_service_completed_at: datetime | None
    paired_households: int


class VulnerableView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    household_id: UUID
    grid_id: UUID | None
    grid_name: str | None
    categories: list[str]
    note: str
    volunteer_id: UUID | None
    volunteer_name: str | None
    volunteer_phone: str | None
    paired_at: datetime | None
    registered_at: datetime
    last_visited_at: datetime | None  # by the paired volunteer
    due: bool  # paired and not visited by the volunteer within the interval


class CareVisitView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    household_id: UUID
    visited_at: datetime
    channel: str
    note: str
    visitor_name: str


class MissedVisits(msgspec.Struct, rename="camel", kw_only=True):
    registration: VulnerableView
    periods: int  # whole intervals since the pairing
    missed_periods: int  # of which the volunteer visited in none


class MissedReport(msgspec.Struct, rename="camel", kw_only=True):
    """Registered households whose volunteer missed a visit (or who have none yet), worst first."""

    interval_days: int
    registered: int
    unpaired: int
    due: int
    items: list[MissedVisits]
