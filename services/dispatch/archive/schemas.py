from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

Short = Annotated[str, msgspec.Meta(min_length=1, max_length=20, pattern=r"\S")]
Note = Annotated[str, msgspec.Meta(max_length=200)]


class MemberIn(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """A member of the household (家庭基本情况: name, age, education, political status, health). On a refresh a
    member already on the sheet is named by ``id``; without a ``name`` the stored name is kept (readers see it
    masked only, so nobody has to type it again)."""

    id: UUID | None = None
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"\S")] | None = None
    relation: Short
    birth_year: Annotated[int, msgspec.Meta(ge=1900, le=2100)] | None = None
    education: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    political_status: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    health: Annotated[str, msgspec.Meta(max_length=40)] | None = None


class IncomeSource(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """家庭主要经济来源: land, crops, livestock, business, migrant_work or other, with a note."""

    kind: str
    note: Note = ""


class AssistanceRecord(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """帮扶记录: policy assistance by government and other bodies."""

    what: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
    source: Annotated[str, msgspec.Meta(max_length=60)] = ""
    on: date | None = None


class ArchiveWrite(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """The whole sheet as the cadre has it after a visit: saving it is a refresh (who, when, what changed)."""

    economic_type: str
    members: Annotated[list[MemberIn], msgspec.Meta(max_length=20)] = []
    income_sources: Annotated[list[IncomeSource], msgspec.Meta(max_length=20)] = []
    assistance: Annotated[list[AssistanceRecord], msgspec.Meta(max_length=50)] = []
    note: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class MemberView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    name: str  # masked
    relation: str
    birth_year: int | None
    education: str | None
    political_status: str | None
    health: str | None


class FeedbackFormView(msgspec.Struct, rename="camel", kw_only=True):
    """The resident's situation feedback form (情况反馈意见单) on a demand's handling."""

    satisfied: bool
    comment: str | None
    via: str | None
    given_at: datetime


class DemandView(msgspec.Struct, rename="camel", kw_only=True):
    """家庭诉求 and 诉求的解决情况: one of the household's tickets and how it was resolved."""

    ticket_id: UUID
    number: str
    title: str
    status: str
    stage: str | None
    created_at: datetime
    resolved_at: datetime | None
    resolution_note: str | None
    feedback: list[FeedbackFormView]


class ArchiveView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    household_id: UUID
    grid_id: UUID | None
    grid_name: str | None
    economic_type: str
    members: list[MemberView]
    income_sources: list[IncomeSource]
    assistance: list[AssistanceRecord]
    demands: list[DemandView]
    refreshed_at: datetime
    refreshed_by_name: str | None
    refresh_due_at: datetime  # six months after the last refresh
    due: bool


class ArchiveRow(msgspec.Struct, rename="camel", kw_only=True):
    """An archive in a list: the head of household masked, no other member."""

    id: UUID
    household_id: UUID
    grid_name: str | None
    economic_type: str
    head_name: str | None  # masked
    member_count: int
    open_demands: int
    refreshed_at: datetime
    refreshed_by_name: str | None
    refresh_due_at: datetime
    due: bool


class ArchivePage(msgspec.Struct, rename="camel", kw_only=True):
    total: int
    due: int  # not refreshed for six months: the reminder
    items: list[ArchiveRow]


class RefreshView(msgspec.Struct, rename="camel", kw_only=True):
    at: datetime
    by_name: str | None
    changed: list[str]
    note: str | None
