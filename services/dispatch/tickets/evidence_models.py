"""A ticket's evidence: photos of the work done, taken by the provider on site (or added by staff).

The photo itself lives in the object store under a key the server builds
(``tenants/<tenant>/ticket-evidence/<evidence id>/1``); the row keeps its hash, type and size, and who uploaded it
with their name as it was then. Rows are kept in step with objects: one row per stored photo, never rewritten.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class TicketEvidence(TenantScoped, Base):
    """One photo of a ticket's work (migration 0008)."""

    __tablename__ = "ticket_evidence"
    __table_args__ = (Index("ix_ticket_evidence_ticket", "tenant_id", "ticket_id", "uploaded_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="RESTRICT"), nullable=False)
    object_key: Mapped[str] = mapped_column(String(300), nullable=False)  # built by the server, never a client's
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)  # sniffed from the bytes
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    uploaded_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    uploaded_by_name: Mapped[str | None] = mapped_column(String(80))
    uploaded_by_kind: Mapped[str] = mapped_column(String(10), nullable=False)  # staff | provider
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class EvidenceView(msgspec.Struct, rename="camel", kw_only=True):
    """A photo of the ticket's work; its bytes at ``GET /api/dispatch/tickets/{ticketId}/evidence/{id}``."""

    id: uuid.UUID
    ticket_id: uuid.UUID
    content_type: str  # image/jpeg | image/png
    size_bytes: int
    sha256: str
    uploaded_at: datetime
    uploaded_by_kind: str  # staff | provider
    uploaded_by_name: str | None  # in full for staff and the uploader, masked (张**) for anyone else
