"""The deletion log and legal holds (DOC-09).

A deletion removes a document's files for good; the log row is what stays of it: who deleted it, when, why, and
what it was (type, title, retention class, each version's number and SHA-256), so an archive can answer for it.
A legal hold freezes a document (no deletion, no retention change) until the district admin releases it; the row
of each hold stays as its log.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.documents.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class DocumentDeletion(TenantScoped, Base):
    __tablename__ = "document_deletion"
    __table_args__ = (Index("ix_document_deletion_tenant_deleted", "tenant_id", "deleted_at", "id"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document.id"), nullable=False)
    type_code: Mapped[str] = mapped_column(String(40), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    retention_class: Mapped[str] = mapped_column(String(40), nullable=False)
    reason: Mapped[str] = mapped_column(String(500), nullable=False)
    # [{number, filename, sizeBytes, sha256 (hex)}] of every stored version whose object was removed
    versions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    deleted_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    deleted_by_name: Mapped[str | None] = mapped_column(String(100))
    deleted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class LegalHold(TenantScoped, Base):
    __tablename__ = "legal_hold"
    __table_args__ = (
        # at most one hold in force per document
        Index(
            "uq_legal_hold_document_current",
            "document_id",
            unique=True,
            postgresql_where=text("released_at IS NULL"),
        ),
        Index("ix_legal_hold_tenant_placed", "tenant_id", "placed_at", "id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document.id"), nullable=False)
    reason: Mapped[str] = mapped_column(String(500), nullable=False)
    placed_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    placed_by_name: Mapped[str | None] = mapped_column(String(100))
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    release_reason: Mapped[str | None] = mapped_column(String(500))
    released_by: Mapped[uuid.UUID | None] = mapped_column()
    released_by_name: Mapped[str | None] = mapped_column(String(100))
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
