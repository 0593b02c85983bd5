from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

Note = Annotated[str, msgspec.Meta(min_length=2, max_length=2000, pattern=r"\S")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]


class MeetingCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    kind: str  # see GET /agendas/kinds
    unit_id: UUID  # the village (community) or street holding it
    held_on: date | None = None  # today by default
    attendees: Annotated[list[Name], msgspec.Meta(max_length=100)] = []


class Outcome(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """What the meeting decided for one case of its agenda."""

    item_id: UUID
    outcome: str  # resolved | escalated | referred | discussed
    note: Note  # the resolution, the reason for going up, the referral's matter, or the discussion
    responsible_unit: Annotated[str, msgspec.Meta(min_length=2, max_length=100, pattern=r"\S")] | None = None
    responsible_person: Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"\S")] | None = None
    due_on: date | None = None  # referred: the completion date


class OutcomesCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    outcomes: Annotated[list[Outcome], msgspec.Meta(min_length=1, max_length=200)]


class KindView(msgspec.Struct, rename="camel", kw_only=True):
    code: str
    name: str
    unit_level: str
    cadence: str


class AgendaCase(msgspec.Struct, rename="camel", kw_only=True):
    """An open case on the agenda (drawn now, or as it stood when the meeting's agenda was drawn)."""

    id: UUID | None  # the agenda item (None in a preview)
    ticket_id: UUID
    ticket_number: str
    ticket_title: str
    status: str
    level: int
    level_name: str | None
    warning: str | None
    outcome: str | None
    outcome_note: str | None
    referral_number: str | None
    decided_at: datetime | None


class AgendaPreview(msgspec.Struct, rename="camel", kw_only=True):
    kind: str
    unit_id: UUID
    unit_name: str
    cases: list[AgendaCase]


class MeetingView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    kind: str
    title: str
    held_on: date
    unit_id: UUID
    unit_name: str
    attendees: list[str]
    cases: int
    decided: int
    agenda: list[AgendaCase] | None
    recorded_by_name: str | None
    recorded_at: datetime
