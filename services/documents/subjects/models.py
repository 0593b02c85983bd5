"""What documents knows of the things documents are about: each subject's tree path (and, for a member, their
account), kept in step with the owning services' events. A document about a subject reads like the subject: its
anchor is the subject's path, so nobody reads a document whose subject they could not read (DOC-02)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from services.documents.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class Subject(TenantScoped, Base):
    __tablename__ = "subject"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind", "subject_id", name="uq_subject_tenant_kind_id"),
        Index("ix_subject_tenant_grid", "tenant_id", "grid_id"),
        Index("ix_subject_tenant_kind_path", "tenant_id", "kind", "path"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)  # library/models.py SubjectKind, or "grid"
    subject_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    path: Mapped[str] = mapped_column(PATH, nullable=False)
    name: Mapped[str | None] = mapped_column(String(200))
    # a member's account (they read documents about themselves); a ticket's current holder (the provider's login
    # while the order is theirs) or a wish's claimer: they file its photos (uploads/rights.py)
    user_id: Mapped[uuid.UUID | None] = mapped_column()
    # a household's or ticket's grid (its path arrives with the grid when the grid is not known yet); a member's grid
    grid_id: Mapped[uuid.UUID | None] = mapped_column()
    # a member's two places: ``path`` is the grid's when they have one, else the party branch's (subjects/directory.py)
    grid_path: Mapped[str | None] = mapped_column(PATH)
    branch_path: Mapped[str | None] = mapped_column(PATH)
    # a removed member's row stays: documents about them stay where they were
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )
