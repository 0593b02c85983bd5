"""A district's template of a generated document type: what its PDF says, with ``{placeholders}`` the rendering fills
from the event's facts. Seeded per district from ``defaults.py``; the district admin edits its copy."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.documents.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class DocumentTemplate(TenantScoped, Base):
    __tablename__ = "document_template"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_document_template_tenant_code"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(60), nullable=False)  # a generated type's ``template``
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    title_pattern: Mapped[str] = mapped_column(String(200), nullable=False)  # the document's title
    # layout.Layout as JSON: heading, paragraphs, a table of fields, signature/seal line, date line
    body: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    updated_by: Mapped[uuid.UUID | None] = mapped_column()  # None: as seeded
    updated_by_name: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )
