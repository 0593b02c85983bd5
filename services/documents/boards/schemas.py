"""Boards and publications as the API shows and takes them (camelCase; unknown fields refused; strict decoding)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

TreePath = Annotated[str, msgspec.Meta(min_length=1, max_length=400, pattern=r"^/([^/]+/)*$")]
UnitName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Note = Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=r"\S")]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=r"\S")]


class BoardView(msgspec.Struct, kw_only=True, rename="camel"):
    code: str
    name: str
    description: str | None
    published: int = 0  # publications on it now, within the caller's scope


class BoardList(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[BoardView]


class PublicationCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """Post a document on a unit's board; the unit defaults to the document's own."""

    document_id: UUID
    unit_id: UUID | None = None
    unit_path: TreePath | None = None
    unit_name: UnitName | None = None
    note: Note | None = None


class Withdrawal(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    reason: Reason


class PublicationView(msgspec.Struct, kw_only=True, rename="camel"):
    """A publication as staff see it: what the board shows (title, public fields, date) and its record."""

    id: UUID
    board_code: str
    document_id: UUID
    title: str
    fields: dict[str, Any]  # only the document type's public fields
    unit_id: UUID | None
    unit_path: str
    unit_name: str | None
    note: str | None
    state: str
    has_file: bool
    published_at: datetime
    published_by_name: str | None
    withdrawn_at: datetime | None
    withdrawn_by_name: str | None
    withdraw_reason: str | None
    shown: bool  # on the public page now (published, its document active and its type still public)


class PublicationPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[PublicationView]
    next: str | None


class LogEntryView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    publication_id: UUID
    board_code: str
    action: str  # published | withdrawn
    document_id: UUID
    title: str
    unit_path: str
    unit_name: str | None
    reason: str | None
    actor_id: UUID | None  # None: the platform (a commitment published in training)
    actor_name: str | None
    at: datetime


class LogPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[LogEntryView]
    next: str | None


class PublicBoardRef(msgspec.Struct, kw_only=True, rename="camel"):
    code: str
    name: str
    description: str | None


class PublicBoardIndex(msgspec.Struct, kw_only=True, rename="camel"):
    district: str  # the district's name
    boards: list[PublicBoardRef]


class PublicPosting(msgspec.Struct, kw_only=True, rename="camel"):
    """One publication as anyone reads it: no personal data, no ids but the one its file's link needs."""

    id: UUID
    title: str
    fields: dict[str, Any]
    unit_path: str
    unit_name: str | None
    note: str | None
    published_at: datetime
    has_file: bool


class PublicBoardPage(msgspec.Struct, kw_only=True, rename="camel"):
    district: str
    board: PublicBoardRef
    items: list[PublicPosting]
    next: str | None


class PublicFileLink(msgspec.Struct, kw_only=True, rename="camel"):
    url: str  # a presigned GET, valid until ``expiresAt``
    expires_at: datetime
    filename: str
    content_type: str | None
    size_bytes: int | None
