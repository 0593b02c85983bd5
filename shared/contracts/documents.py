"""Events the documents service publishes. Ids and non-personal facts only."""

from __future__ import annotations

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
