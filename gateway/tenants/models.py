"""The registry's table of database cells (``placement.py`` reads and mirrors it)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models import Base
from shared.settings import MAIN_CELL


class TenantPlacement(Base):
    """One district's rows of one component live on ``cell``; ``paused`` while they move to another."""

    __tablename__ = "tenant_placement"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True)
    component: Mapped[str] = mapped_column(String(40), primary_key=True)
    cell: Mapped[str] = mapped_column(String(40), nullable=False, default=MAIN_CELL)
    paused: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
