"""The vulnerable-group registry (DSP-09): households registered as disabled, empty-nest or living alone, each
paired with a member volunteer of its grid who visits it on the district's interval (一周一访 by default). The
visits themselves are dispatch's micro-visits (``visits.models.Visit``): one visit model for the whole hotline."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class VulnerableHousehold(TenantScoped, Base):
    """One registered household (orgtree's; dispatch knows its grid) and the volunteer paired with it."""

    __tablename__ = "vulnerable_household"
    __table_args__ = (
        UniqueConstraint("tenant_id", "household_id", name="uq_vulnerable_household_household"),
        Index("ix_vulnerable_household_path", "tenant_id", "grid_path"),
        Index("ix_vulnerable_household_volunteer", "tenant_id", "volunteer_id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    household_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    grid_id: Mapped[uuid.UUID | None] = mapped_column()
    grid_path: Mapped[str | None] = mapped_column(PATH)  # staff see their subtree's registrations
    categories: Mapped[list[str]] = mapped_column(ARRAY(String(20)), nullable=False)
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    # the paired member volunteer (a provider of the household's grid); None until paired
    volunteer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("provider.id", ondelete="RESTRICT"))
    paired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    registered_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
