"""Request and response bodies of unit returns (退单) and their arbitration (退单审定)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

Text = Annotated[str, msgspec.Meta(min_length=2, max_length=2000, pattern=r"\S")]
Note = Annotated[str, msgspec.Meta(max_length=2000)]


class ReturnCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """A unit hands back a ticket placed on it, citing its jurisdiction evidence: the grid whose boundary holds the
    place (``grid_boundary``, ``gridId``), or the catalogue item the responsibility list gives to another unit
    (``responsibility_list``, ``itemId`` and that unit as ``proposedUnitId``)."""

    ticket_id: UUID
    basis: Literal["grid_boundary", "responsibility_list"]
    citation: Text  # the boundary description or the list's entry, as cited
    reason: Text
    grid_id: UUID | None = None
    item_id: UUID | None = None
    proposed_unit_id: UUID | None = None


class RulingCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """``uphold``: the ticket goes to ``assignToUnitId``; ``reject``: it stays with the returning unit."""

    decision: Literal["uphold", "reject"]
    note: Text
    assign_to_unit_id: UUID | None = None


class ReturnSettingChange(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    ruling_hours: Annotated[int, msgspec.Meta(ge=1, le=720)] | msgspec.UnsetType = msgspec.UNSET
    working_time: bool | msgspec.UnsetType = msgspec.UNSET


class ReturnSettingView(msgspec.Struct, rename="camel", kw_only=True):
    ruling_hours: int
    working_time: bool


class ReturnView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    ticket_id: UUID
    ticket_number: str
    ticket_title: str
    ticket_status: str
    state: str  # pending | upheld | rejected
    returning_unit_id: UUID
    returning_unit_name: str
    basis: str  # grid_boundary | responsibility_list
    evidence_grid_id: UUID | None
    evidence_grid_name: str | None
    evidence_item_id: UUID | None
    evidence_item_name: str | None
    citation: str
    reason: str
    proposed_unit_id: UUID | None
    proposed_unit_name: str | None
    filed_by_name: str | None
    filed_at: datetime
    ruling_unit_id: UUID
    ruling_unit_name: str
    due_at: datetime | None  # the ruling's deadline while pending
    overdue: bool  # the deadline passed (the ruling may have climbed: ``escalations``)
    escalations: int
    ruled_by_name: str | None
    ruled_at: datetime | None
    ruling_note: str | None
    assigned_unit_id: UUID | None
    assigned_unit_name: str | None
    may_rule: bool  # the reader may rule on it now


class Counts(msgspec.Struct, rename="camel", kw_only=True):
    made: int
    upheld: int
    rejected: int
    pending: int
    returned_more_than_once: int  # of the tickets returned, those returned more than once (ping-pong)


class UnitCount(Counts, kw_only=True):
    unit_id: UUID
    unit_name: str


class ReturnReport(msgspec.Struct, rename="camel", kw_only=True):
    """Returns filed in the period, per returning unit."""

    from_: date | None = msgspec.field(name="from")
    to: date | None
    units: list[UnitCount]
    total: Counts
