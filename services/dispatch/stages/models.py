"""The five steps' district setting (DSP-17/18): whether the resident is told of every step by SMS."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class StageSetting(TenantScoped, Base):
    """One row per district that has chosen; none means DSP-18's default (routed, resolved, closed only)."""

    __tablename__ = "stage_setting"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_stage_setting_tenant"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    # Jinghai [001/JH]: the SMS tells the resident how the matter is handled at each of the five steps.
    notify_every_stage: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    updated_by: Mapped[uuid.UUID | None] = mapped_column()
    updated_by_name: Mapped[str | None] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
