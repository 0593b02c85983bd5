"""Events the documents service publishes. Ids and non-personal facts only."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from shared.contracts.base import Event, event_type


@event_type
class VersionStored(Event, frozen=True, kw_only=True):
    """A document's version is in the store and checked (uploaded and confirmed, or generated); documents' own
    worker then reads it: an image's EXIF time and thumbnail, the text of a PDF, Word or Excel file, OCR of a scan."""

    NAME = "documents.VersionStored"
    VERSION = 1

    document_id: UUID
    version_id: UUID
    number: int
    type_code: str
    content_type: str
    size_bytes: int


@event_type
class EvidenceFiled(Event, frozen=True, kw_only=True):
    """A photo of a ticket's work or a fulfilled wish is stored and checked in documents: dispatch keeps its
    document id (and what documents read from the bytes), and a closure that needs evidence finds it there."""

    NAME = "documents.EvidenceFiled"
    VERSION = 1

    document_id: UUID
    version_id: UUID
    subject_kind: str  # ticket | wish
    subject_id: UUID
    type_code: str
    content_type: str  # read from the bytes
    sha256: str  # hex
    size_bytes: int
    stored_at: datetime
    taken_at: datetime | None = None  # the EXIF time, when known at filing (the worker reads it later otherwise)
    filed_by: UUID | None = None  # the uploader's login
