"""The regulation library (DOC-10): a unit's regulations with the dates they are in force.

A regulation is a document of type ``regulation``; registering it in the library adds when it takes effect, when
it ends (open-ended until then), whether it is on trial (试行), its number (文号) and what superseded it. The row
is keyed by the document: one entry per regulation document. ``unit_path`` is the document's anchor: units below
it live by it too.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from services.documents.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped


class Regulation(TenantScoped, Base):
    __tablename__ = "regulation"
    __table_args__ = (Index("ix_regulation_tenant_unit", "tenant_id", "unit_path", "effective_from"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document.id"), primary_key=True)
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    number: Mapped[str | None] = mapped_column(String(60))  # 文号
    effective_from: Mapped[date] = mapped_column(Date, nullable=False)
    effective_to: Mapped[date | None] = mapped_column(Date)  # the last day in force; None: until further notice
    trial: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)  # 试行
    superseded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("regulation.document_id"))
    registered_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    registered_by_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )
