"""Uploads as the API takes and shows them (camelCase): a new document's first file, a new version, the grant of a
presigned upload (one PUT, or the parts of a multipart upload) and its confirmation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from services.documents.library.schemas import DocumentView, VersionView

Filename = Annotated[str, msgspec.Meta(min_length=1, max_length=400)]
ContentType = Annotated[str, msgspec.Meta(min_length=3, max_length=100)]
Size = Annotated[int, msgspec.Meta(description="bytes, as the browser sees the file")]
Path = Annotated[str, msgspec.Meta(max_length=400, pattern=r"^/([^/]+/)*$")]


class UploadRequest(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    type_code: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    filename: Filename
    content_type: ContentType
    size_bytes: Size
    description: Annotated[str, msgspec.Meta(max_length=4000)] | None = None
    fields: dict[str, Any] = msgspec.field(default_factory=dict)
    unit_id: UUID | None = None
    unit_path: Path | None = None
    unit_name: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    subject_kind: Annotated[str, msgspec.Meta(max_length=30)] | None = None
    subject_id: UUID | None = None


class NewVersionRequest(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    filename: Filename
    content_type: ContentType
    size_bytes: Size
    change_note: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class PartDone(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    part_number: Annotated[int, msgspec.Meta(ge=1, le=10_000)]
    etag: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class ConfirmRequest(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    parts: list[PartDone] | None = None  # a multipart upload's parts, with the ETag each PUT answered


class PartUrl(msgspec.Struct, kw_only=True, rename="camel"):
    part_number: int
    url: str


class UploadGrant(msgspec.Struct, kw_only=True, rename="camel"):
    """One PUT of the whole file (``method``, ``url``, ``headers``), or a multipart upload (``uploadId``,
    ``partBytes``, ``parts``: PUT each slice of ``partBytes`` to its URL, keep each answer's ETag)."""

    expires_at: datetime
    method: str | None = None
    url: str | None = None
    headers: dict[str, str] | None = None
    upload_id: str | None = None
    part_bytes: int | None = None
    parts: list[PartUrl] | None = None


class UploadStarted(msgspec.Struct, kw_only=True, rename="camel"):
    document: DocumentView
    version_id: UUID
    upload: UploadGrant


class UploadConfirmed(msgspec.Struct, kw_only=True, rename="camel"):
    document: DocumentView
    version: VersionView


class DownloadLink(msgspec.Struct, kw_only=True, rename="camel"):
    url: str
    expires_at: datetime
    filename: str
    content_type: str


class ThumbnailLink(msgspec.Struct, kw_only=True, rename="camel"):
    url: str
    expires_at: datetime
