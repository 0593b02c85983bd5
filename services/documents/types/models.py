"""The district's registry of document types (DOC-01) and retention classes (DOC-09).

A type says who owns such documents, how they are made (uploaded, or generated from a template), how long they are
kept (its retention class), who sees them (its visibility) and what files it takes. A retention class says for how
many years and whether documents of it are immutable (no change, no deletion before their time, by anyone).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, DateTime, Integer, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.documents.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class Visibility(StrEnum):
    INTERNAL = "internal"  # staff whose scope covers the document's unit or subject
    SUBJECT = "subject"  # also the person the document is about (their card, certificate, report)
    PUBLIC = "public"  # may be published to a public board (its public fields only)


class Origin(StrEnum):
    UPLOADED = "uploaded"  # people upload its files
    GENERATED = "generated"  # rendered by the platform from the type's template (PDF)


class RetentionClass(TenantScoped, Base):
    __tablename__ = "retention_class"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_retention_class_tenant_code"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    years: Mapped[int | None] = mapped_column(Integer)  # None: kept permanently
    immutable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class DocumentType(TenantScoped, Base):
    __tablename__ = "document_type"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_document_type_tenant_code"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    description: Mapped[str | None] = mapped_column(String(400))
    owner: Mapped[str] = mapped_column(String(40), nullable=False)  # the area that files it: dispatch, training, ...
    origin: Mapped[str] = mapped_column(String(20), nullable=False, default=Origin.UPLOADED)
    template: Mapped[str | None] = mapped_column(String(60))  # the generated type's template code
    retention_class: Mapped[str] = mapped_column(String(40), nullable=False)
    visibility: Mapped[str] = mapped_column(String(20), nullable=False, default=Visibility.INTERNAL)
    # metadata fields that a public board may show (the rest never leaves the district's staff)
    public_fields: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    content_types: Mapped[list[str]] = mapped_column(ARRAY(String(100)), nullable=False, default=list)
    max_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # the household archive's semiannual refresh (DOC-04): a reminder this many months after the last version
    refresh_months: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )
