from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

Text200 = Annotated[str, msgspec.Meta(min_length=2, max_length=200, pattern=r"\S")]
Note = Annotated[str, msgspec.Meta(min_length=2, max_length=2000, pattern=r"\S")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]


class ProposalCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """A proposal taken from the box: by one member, or jointly by several (their member ids)."""

    title: Text200
    content: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    proposer_member_ids: Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=20)]
    community_id: UUID
    filed_on: date | None = None  # the day it was dropped in the box; today when left out


class ProposalClassify(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    category: str


class SeminarCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    held_on: date
    attendees: Annotated[list[Name], msgspec.Meta(min_length=1, max_length=50)]
    conclusion: Note


class ProposalEscalate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    reason: Note


class ProposalClose(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    note: Note
    closed_on: date | None = None  # today when left out


class SeminarView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    held_on: date
    attendees: list[str]
    conclusion: str
    recorded_by_name: str | None
    recorded_at: datetime


class StepView(msgspec.Struct, rename="camel", kw_only=True):
    action: str
    tier: str
    note: str | None
    actor_name: str | None
    at: datetime


class ProposalView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    title: str
    content: str
    proposer_member_ids: list[UUID]
    proposer_names: list[str]
    joint: bool
    community_id: UUID
    community_name: str
    street_id: UUID | None
    street_name: str | None
    filed_on: date
    status: str
    category: str | None
    classified_by_name: str | None
    tier: str
    closing_note: str | None
    closed_on: date | None
    recorded_at: datetime
    seminars: list[SeminarView] | None = None  # on one proposal's page
    steps: list[StepView] | None = None


class ProposalPage(msgspec.Struct, rename="camel", kw_only=True):
    items: list[ProposalView]
    total: int


class UnitClosure(msgspec.Struct, rename="camel", kw_only=True):
    """One unit's proposals filed in the period and how many of them are closed; the rate 0..1 (4 places)."""

    unit_id: UUID | None
    name: str | None
    proposals: int
    closed: int
    escalated: int  # climbed above the community tier
    closure_rate: float | None


class ClosureReport(msgspec.Struct, rename="camel", kw_only=True):
    from_: date = msgspec.field(name="from")
    to: date
    by: str
    total: UnitClosure
    closed_by_tier: dict[str, int]  # where the closed ones were solved
    units: list[UnitClosure]


class Category(msgspec.Struct, rename="camel", kw_only=True):
    code: str
    label: str


class CommunityOption(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    name: str
    street_name: str | None


class ProposerOption(msgspec.Struct, rename="camel", kw_only=True):
    member_id: UUID
    name: str
