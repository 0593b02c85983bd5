"""One row per document: its search vector, and the text read from its current version's file.

``vector`` carries weights A (title), B (description, type, fields) and C (the file's text); the GIN index on it
is what a search uses (``services.py`` says why that query runs as the system role). ``body`` is the extracted
text, capped, kept so a title edit can recompute the vector without reading the file again and so hits can show
a snippet. The document's facts a search filters and orders by (when it was made, where it hangs, its state, who
made it and whom it is about, its type and subject kind) are copied here by triggers (migration 0007), so a search
reads this one table until it has its page.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from services.documents.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped

BODY_CHARS = 100_000  # of a file's text; a longer file is indexed by its beginning


class ExtractionState(StrEnum):
    NONE = "none"  # no file read yet (metadata only)
    READ = "read"
    UNREADABLE = "unreadable"  # broken or unsupported: indexed by its metadata only
    SKIPPED = "skipped"  # a kind of file that has no text, or too large to read


class DocumentSearch(TenantScoped, Base):
    __tablename__ = "document_search"
    __table_args__ = (
        Index("ix_document_search_vector", "vector", postgresql_using="gin"),
        Index("ix_document_search_tenant_document", "tenant_id", "document_id"),
        Index("ix_document_search_tenant_newest", "tenant_id", text("created_at DESC"), text("document_id DESC")),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    vector: Mapped[str] = mapped_column(TSVECTOR, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    body_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # the version it was read from
    extraction: Mapped[str] = mapped_column(String(20), nullable=False, default=ExtractionState.NONE)
    # copies of the document's columns, kept by the triggers of migration 0007 (never written by the code)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    anchor_path: Mapped[str] = mapped_column(PATH, nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False)
    created_by: Mapped[uuid.UUID | None] = mapped_column()
    about_user_id: Mapped[uuid.UUID | None] = mapped_column()
    type_code: Mapped[str] = mapped_column(String(40), nullable=False)
    subject_kind: Mapped[str | None] = mapped_column(String(30))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )
