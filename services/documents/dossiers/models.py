"""Acceptance dossiers (DOC-08): the materials a unit gathers for an inspection, locked once submitted.

A dossier is drafted on a unit, filled with documents, submitted (from then on its documents can be neither
deleted nor given new versions), and reviewed by those above the unit, whose notes stay with it: a dossier
returned for more work is a draft again, one accepted stays locked as the record of what was accepted.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from services.documents.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class DossierState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    RETURNED = "returned"


LOCKED = (DossierState.SUBMITTED, DossierState.ACCEPTED)


class Dossier(TenantScoped, Base):
    __tablename__ = "dossier"
    __table_args__ = (Index("ix_dossier_tenant_unit", "tenant_id", "unit_path", "id"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    unit_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    unit_name: Mapped[str] = mapped_column(String(100), nullable=False)
    due_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=DossierState.DRAFT)
    created_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    created_by_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by_name: Mapped[str | None] = mapped_column(String(100))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DossierItem(TenantScoped, Base):
    __tablename__ = "dossier_item"
    __table_args__ = (
        UniqueConstraint("dossier_id", "document_id", name="uq_dossier_item_document"),
        Index("ix_dossier_item_tenant_document", "tenant_id", "document_id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), nullable=False)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document.id"), nullable=False)
    added_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    added_by_name: Mapped[str | None] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())


class DossierNote(TenantScoped, Base):
    __tablename__ = "dossier_note"
    __table_args__ = (Index("ix_dossier_note_dossier", "dossier_id", "created_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), nullable=False)
    note: Mapped[str] = mapped_column(String(2000), nullable=False)
    verdict: Mapped[str | None] = mapped_column(String(20))  # accepted | returned; None: a remark
    author_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    author_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
