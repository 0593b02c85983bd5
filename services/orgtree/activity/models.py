"""Members' organisational life as training records it (ORG-18): the last attendance that counts, per member."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import Base
from shared.db.base import TenantScoped, uuid7


class OrgLifeAttendance(TenantScoped, Base):
    """A member's latest attendance at organisational life (one row per member): the newest check-in wins, so an
    older event delivered late, or one delivered twice, changes nothing."""

    __tablename__ = "org_life_attendance"
    __table_args__ = (UniqueConstraint("tenant_id", "member_id", name="uq_org_life_attendance_member"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID] = mapped_column(nullable=False)  # outlives the member row, like its history
    attendance_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    attended_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    category: Mapped[str] = mapped_column(String(40), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
