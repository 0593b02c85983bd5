"""Hotline numbers per level (DSP-02): each number the district publishes and the unit that owns it."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, Timestamped, uuid7


class HotlineNumber(TenantScoped, Timestamped, Base):
    """A published number (Ouhai's district, town and community lines ending in 7171 [004]) and its owning unit:
    a call to it is placed at that unit. The unit's level, name and path are copied from the directory when the
    number is saved, so that intake needs no lookup."""

    __tablename__ = "hotline_number"
    __table_args__ = (UniqueConstraint("tenant_id", "number", name="uq_hotline_number_tenant_number"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    number: Mapped[str] = mapped_column(String(20), nullable=False)  # digits only, e.g. 057788887171
    unit_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    unit_level: Mapped[str] = mapped_column(String(30), nullable=False)
    unit_name: Mapped[str] = mapped_column(String(200), nullable=False)
    unit_path: Mapped[str] = mapped_column(PATH, nullable=False)
    label: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    # The seeds give only the suffix 7171: a number made up for the demo says so (示例).
    synthetic: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
