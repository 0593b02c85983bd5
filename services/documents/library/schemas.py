"""Documents and versions as the API shows them (camelCase)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec


class VersionView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    number: int
    state: str
    filename: str
    content_type: str | None
    size_bytes: int | None
    sha256: str | None  # hex
    change_note: str | None
    created_by_name: str | None
    created_at: datetime
    stored_at: datetime | None
    taken_at: datetime | None
    has_thumbnail: bool = False


class DocumentView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    type_code: str
    title: str
    description: str | None
    unit_id: UUID | None
    unit_path: str | None
    unit_name: str | None
    subject_kind: str | None
    subject_id: UUID | None
    state: str
    current_version: int
    fields: dict[str, Any]
    retention_class: str
    immutable: bool
    retain_until: date | None
    legal_hold: bool
    created_by_name: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    version: VersionView | None = None  # the current version


class DocumentPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[DocumentView]
    next: str | None


class VersionList(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[VersionView]
