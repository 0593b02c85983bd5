"""Documents and their versions (DOC-02, DOC-04).

A document belongs to the district, hangs on an org unit and/or a subject (a ticket, member, household, session,
wish ...), and reads like its anchor: ``anchor_path`` is the subject's tree path when it has a subject and the unit's
path otherwise ('/' for the district as a whole), so access is one C-collated range test (``access.py``).

Its content is a list of versions, each one immutable object in the store under a key the server built
(``tenants/<tenant>/documents/<document>/<version>``). A version is ``pending`` from the moment an upload is granted
until the service has confirmed the bytes (type from the bytes, size, checksum); only ``stored`` versions are read.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.documents.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7

ONE_PER_SOURCE = "uq_document_tenant_source"
DISTRICT = "/"  # the anchor of a document filed on the district as a whole


class DocumentState(StrEnum):
    PENDING = "pending"  # created with its first upload, not confirmed yet
    ACTIVE = "active"
    DELETED = "deleted"  # its versions are gone from the store; the row stays as the deletion's record


class VersionState(StrEnum):
    PENDING = "pending"  # an upload was granted; the bytes are not confirmed
    STORED = "stored"  # confirmed: type, size and checksum checked
    REJECTED = "rejected"  # the confirmation failed; the object was removed


class SubjectKind(StrEnum):
    TICKET = "ticket"
    REFERRAL = "referral"
    MEMBER = "member"
    HOUSEHOLD = "household"
    SESSION = "session"
    WISH = "wish"
    COMMITMENT = "commitment"
    AWARD = "award"
    MONTHLY_REPORT = "monthly_report"


class Document(TenantScoped, Base):
    __tablename__ = "document"
    __table_args__ = (
        Index("ix_document_tenant_anchor", "tenant_id", "anchor_path", "id"),
        Index("ix_document_tenant_subject", "tenant_id", "subject_kind", "subject_id"),
        Index("ix_document_tenant_type", "tenant_id", "type_code", "id"),
        # a document the platform makes from an event (a referral notice, a certificate) exists once per source
        Index(ONE_PER_SOURCE, "tenant_id", "source_key", unique=True, postgresql_where=text("source_key IS NOT NULL")),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    type_code: Mapped[str] = mapped_column(String(40), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    unit_id: Mapped[uuid.UUID | None] = mapped_column()
    unit_path: Mapped[str | None] = mapped_column(PATH)
    unit_name: Mapped[str | None] = mapped_column(String(100))
    subject_kind: Mapped[str | None] = mapped_column(String(30))
    subject_id: Mapped[uuid.UUID | None] = mapped_column()
    subject_path: Mapped[str | None] = mapped_column(PATH)
    # the member the document is about, when it is about one (their own card, certificate, report): they read it
    about_user_id: Mapped[uuid.UUID | None] = mapped_column()
    anchor_path: Mapped[str] = mapped_column(PATH, nullable=False, default=DISTRICT)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=DocumentState.PENDING)
    current_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # 0: none stored yet
    # the type's public fields are taken from here for boards; everything else stays internal
    fields: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    retention_class: Mapped[str] = mapped_column(String(40), nullable=False)
    immutable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    retain_until: Mapped[date | None] = mapped_column(Date)  # None: permanently
    legal_hold: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    source_key: Mapped[str | None] = mapped_column(String(120))  # e.g. "dispatch.ReferralIssued:<referral id>"
    created_by: Mapped[uuid.UUID | None] = mapped_column()  # None: made by the platform
    created_by_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DocumentVersion(TenantScoped, Base):
    __tablename__ = "document_version"
    __table_args__ = (
        UniqueConstraint("document_id", "number", name="uq_document_version_number"),
        Index(
            "ix_document_version_tenant_pending", "tenant_id", "created_at", postgresql_where=text("state = 'pending'")
        ),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=VersionState.PENDING)
    object_key: Mapped[str] = mapped_column(String(300), nullable=False)
    filename: Mapped[str] = mapped_column(String(200), nullable=False)  # sanitised, for display only
    declared_type: Mapped[str | None] = mapped_column(String(100))  # what the client said; never trusted
    content_type: Mapped[str | None] = mapped_column(String(100))  # read from the bytes on confirmation
    declared_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    multipart_upload_id: Mapped[str | None] = mapped_column(String(200))
    change_note: Mapped[str | None] = mapped_column(String(500))  # what changed in this version
    created_by: Mapped[uuid.UUID | None] = mapped_column()
    created_by_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    stored_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # filled by the worker after confirmation
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # an image's EXIF time
    thumbnail_key: Mapped[str | None] = mapped_column(String(300))
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
