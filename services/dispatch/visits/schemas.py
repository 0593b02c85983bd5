"""The visit API's bodies and answers (camelCase on the wire)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

Summary = Annotated[str, msgspec.Meta(min_length=2, max_length=200, pattern=r"\S")]


class MatterCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """一事一记: what was found; ``outcome`` ``ticket`` opens a case for the hotline's routing, ``note`` keeps it."""

    summary: Summary
    outcome: str = "note"
    category_id: UUID | None = None  # the ticket's service category (the desk classifies it otherwise)


class VisitCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    household_id: UUID
    visited_at: datetime
    channel: str
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    matters: Annotated[list[MatterCreate], msgspec.Meta(max_length=20)] = []


class MatterView(msgspec.Struct, rename="camel", kw_only=True):
    summary: str
    outcome: str
    ticket_id: UUID | None
    ticket_number: str | None


class VisitView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    household_id: UUID
    grid_id: UUID | None
    member_id: UUID | None
    visitor_name: str  # masked unless the reader is hotline staff or the visitor
    visited_at: datetime
    channel: str
    note: str
    recorded_at: datetime
    matters: list[MatterView]
    closed_task_ids: list[UUID] = []  # mandatory visits this visit closed (on recording only)


class TaskView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    household_id: UUID
    grid_id: UUID | None
    grid_name: str | None
    member_id: UUID | None
    member_name: str | None
    assigned_as: str  # linked | grid_leader | nobody
    kind: str
    kind_label: str
    occurred_on: date
    created_at: datetime
    due_at: datetime
    closed_at: datetime | None
    closed_by_visit_id: UUID | None
    overdue: bool


class ServedHousehold(msgspec.Struct, rename="camel", kw_only=True):
    """A household the caller serves, with its last visit by them and its open mandatory visits."""

    household_id: UUID
    grid_id: UUID | None
    grid_name: str | None
    last_visited_at: datetime | None
    due: bool  # no visit by the caller within the district's interval
    open_tasks: list[TaskView]


class UnitCompliance(msgspec.Struct, rename="camel", kw_only=True):
    unit_id: UUID | None
    name: str | None
    links: int
    unvisited: int


class UnvisitedLink(msgspec.Struct, rename="camel", kw_only=True):
    household_id: UUID
    member_id: UUID
    member_name: str | None
    grid_id: UUID | None
    grid_name: str | None
    unit_id: UUID | None
    unit_name: str | None
    last_visited_at: datetime | None


class ComplianceReport(msgspec.Struct, rename="camel", kw_only=True):
    """Red-cell links with no visit by their member in the last ``days`` days (since ``since``), per unit."""

    by: str
    days: int
    since: datetime
    total: UnitCompliance
    units: list[UnitCompliance]
    items: list[UnvisitedLink]  # one page of the unvisited links
    offset: int
    next_offset: int | None


class TaskPage(msgspec.Struct, rename="camel", kw_only=True):
    items: list[TaskView]
    next_offset: int | None
