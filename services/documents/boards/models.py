"""Public boards (DOC-06): what a district posts on its three-affairs board, performance wall, commitment board and
supervision board, unit by unit, with the log of every publish and withdraw; and the district's public slug.

A publication points at a document; what the board shows is read through the document's type at the time of reading
(its title and the type's ``public_fields`` of its metadata), so a field the district stops marking public, a type
no longer public or a deleted document disappears from the board at once.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, Index, SmallInteger, String, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column

from services.documents.database import PATH, Base, tenant_column
from shared.context import require_tenant
from shared.db.base import TenantScoped, uuid7

ONE_LIVE_POSTING = "uq_publication_live"  # a document is posted once per board and unit while it is published


class PublicationState(StrEnum):
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class LogAction(StrEnum):
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Board(TenantScoped, Base):
    __tablename__ = "board"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_board_tenant_code"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    description: Mapped[str | None] = mapped_column(String(400))
    position: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)  # the order boards are listed in
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class Publication(TenantScoped, Base):
    __tablename__ = "publication"
    __table_args__ = (
        Index("ix_publication_tenant_board_unit", "tenant_id", "board_code", "state", "unit_path"),
        Index("ix_publication_tenant_document", "tenant_id", "document_id"),
        Index(
            ONE_LIVE_POSTING,
            "tenant_id",
            "board_code",
            "document_id",
            "unit_path",
            unique=True,
            postgresql_where=text("state = 'published'"),
        ),
        # a publication the platform posts from an event (a published commitment) exists once per source
        Index(
            "uq_publication_tenant_source",
            "tenant_id",
            "source_key",
            unique=True,
            postgresql_where=text("source_key IS NOT NULL"),
        ),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    board_code: Mapped[str] = mapped_column(String(40), nullable=False)
    document_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    # the unit whose board it is posted on ('/': the district's own board)
    unit_id: Mapped[uuid.UUID | None] = mapped_column()
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    unit_name: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(500))  # shown on the board beside the document
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=PublicationState.PUBLISHED)
    source_key: Mapped[str | None] = mapped_column(String(120))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    published_by: Mapped[uuid.UUID | None] = mapped_column()  # None: posted by the platform from an event
    published_by_name: Mapped[str | None] = mapped_column(String(100))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[uuid.UUID | None] = mapped_column()
    withdrawn_by_name: Mapped[str | None] = mapped_column(String(100))
    withdraw_reason: Mapped[str | None] = mapped_column(String(500))


class PublicationLog(TenantScoped, Base):
    """Append-only: who published or withdrew what, when, and why (the migration refuses updates and deletes)."""

    __tablename__ = "publication_log"
    __table_args__ = (Index("ix_publication_log_tenant_board", "tenant_id", "board_code", "at", "id"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    publication_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    board_code: Mapped[str] = mapped_column(String(40), nullable=False)
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    document_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)  # the document's title at the time
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    unit_name: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(String(500))
    actor_id: Mapped[uuid.UUID | None] = mapped_column()  # None: the platform
    actor_name: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())


class PublicDistrict(TenantScoped, Base):
    """The district's slug (from the gateway's TenantProvisioned), by which the public reaches its boards without
    signing in. Writes are confined to the district like every table; reads are open to every district (the
    migration's ``public_lookup`` policy), since the gateway tells anyone the same at ``/public/districts/{slug}``."""

    __tablename__ = "public_district"
    __table_args__ = (UniqueConstraint("slug", name="uq_public_district_slug"),)

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=require_tenant)
    slug: Mapped[str] = mapped_column(String(63), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
