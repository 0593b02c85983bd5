"""Acceptance dossiers as the API takes and shows them (camelCase, strict decoding)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
UnitName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
UnitPathField = Annotated[str, msgspec.Meta(max_length=400, pattern=r"^/([^/]+/)*$")]
Note = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=r"\S")]


class DossierCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    title: Title
    unit_id: UUID
    unit_path: UnitPathField
    unit_name: UnitName
    due_on: date | None = None  # when the inspection wants it


class ItemAdd(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    document_id: UUID


class NoteCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    note: Note
    verdict: str | None = None  # accepted | returned; none: a remark


class DossierView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    title: str
    unit_id: UUID
    unit_path: str
    unit_name: str
    due_on: date | None
    state: str  # draft | submitted | accepted
    created_by_name: str | None
    created_at: datetime
    submitted_at: datetime | None
    submitted_by_name: str | None
    accepted_at: datetime | None


class DossierPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[DossierView]
    next: str | None


class DossierItemView(msgspec.Struct, kw_only=True, rename="camel"):
    document_id: UUID
    title: str
    type_code: str
    added_by_name: str | None
    added_at: datetime


class NoteView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    note: str
    verdict: str | None
    author_name: str | None
    created_at: datetime


class DossierDetail(DossierView, kw_only=True):
    items: list[DossierItemView]
    notes: list[NoteView]  # oldest first: the review's history, kept across returns
