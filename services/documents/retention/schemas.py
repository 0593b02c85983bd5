"""Deletions, retention changes and legal holds as the API takes and shows them (camelCase, strict)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

from services.documents.library.schemas import DocumentView

Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=r"\S")]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]


class ReasonBody(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """Why a document is deleted, held or released: kept in the log beside who and when."""

    reason: Reason


class RetentionChange(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    retention_class: Code


class DeletedVersion(msgspec.Struct, kw_only=True, rename="camel"):
    number: int
    filename: str
    size_bytes: int | None
    sha256: str | None  # hex


class DeletionView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    document_id: UUID
    type_code: str
    title: str
    retention_class: str
    reason: str
    versions: list[DeletedVersion]
    deleted_by: UUID
    deleted_by_name: str | None
    deleted_at: datetime


class DeletionPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[DeletionView]
    next: str | None


class HoldView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    document_id: UUID
    title: str
    reason: str
    placed_by_name: str | None
    placed_at: datetime
    release_reason: str | None
    released_by_name: str | None
    released_at: datetime | None


class HoldPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[HoldView]
    next: str | None


class DuePage(msgspec.Struct, kw_only=True, rename="camel"):
    """Documents whose retention has run out (each one's ``retainUntil`` is past), for the archive's decision."""

    items: list[DocumentView]
    next: str | None


class RefreshView(msgspec.Struct, kw_only=True, rename="camel"):
    """A document whose type asks for a fresh version every ``refreshMonths`` (the household archive's)."""

    document: DocumentView
    refresh_months: int
    stored_at: datetime  # when its current version was stored
    refresh_due_on: date


class RefreshPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[RefreshView]
    next: str | None
