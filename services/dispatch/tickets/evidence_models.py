"""A ticket's evidence: photos of the work done, taken by the provider on site (or added by staff).

The photos live in the documents service (uploaded straight to the store, checked there); documents' ``EvidenceFiled``
gives dispatch one row per filed photo (``evidence_actors.py``): its document id, hash, type and size, who filed it
and when. Rows from before (migration 0008) kept their own object key and have no document id.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class TicketEvidence(TenantScoped, Base):
    """One photo of a ticket's work (migrations 0008, 0010)."""

    __tablename__ = "ticket_evidence"
    __table_args__ = (
        Index("ix_ticket_evidence_ticket", "tenant_id", "ticket_id", "uploaded_at"),
        UniqueConstraint("tenant_id", "document_id", name="uq_ticket_evidence_tenant_document"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"), nullable=False)
    document_id: Mapped[uuid.UUID | None] = mapped_column()  # the photo in documents (None: kept here before 0010)
    object_key: Mapped[str | None] = mapped_column(String(300))  # only rows from before documents kept the photos
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)  # sniffed from the bytes
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    uploaded_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    uploaded_by_name: Mapped[str | None] = mapped_column(String(80))
    uploaded_by_kind: Mapped[str] = mapped_column(String(10), nullable=False)  # staff | provider
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # EXIF time, when documents knew it


class EvidenceView(msgspec.Struct, rename="camel", kw_only=True):
    """A photo of the ticket's work; the photo itself through documents:
    ``GET /api/documents/documents/{documentId}/thumbnail`` or ``/download`` (presigned links)."""

    id: uuid.UUID
    ticket_id: uuid.UUID
    document_id: uuid.UUID | None  # None only for photos kept by dispatch before documents took them
    content_type: str  # image/jpeg | image/png
    size_bytes: int
    sha256: str
    uploaded_at: datetime
    taken_at: datetime | None
    uploaded_by_kind: str  # staff | provider
    uploaded_by_name: str | None  # in full for staff and the uploader, masked (张**) for anyone else
