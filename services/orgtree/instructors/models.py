"""Instructors of grid party groups (ORG-11): "每个网格党小组配备乡镇指导员和村（社区）指导员各1名" [002]."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import PATH, Base
from shared.db.base import TenantScoped, uuid7


class GroupInstructor(TenantScoped, Base):
    """A member instructing a grid party group from ``since`` (until ``until``): a township cadre or one of the
    community's (village's) branch. Carries the group's path, so a move rewrites it with the unit's own."""

    __tablename__ = "group_instructor"
    __table_args__ = (
        Index("ix_group_instructor_group_path", "tenant_id", "group_path"),
        Index("ix_group_instructor_member", "tenant_id", "member_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="CASCADE"), nullable=False)
    group_path: Mapped[str] = mapped_column(PATH, nullable=False)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False)  # township | community_branch
    since: Mapped[date] = mapped_column(Date, nullable=False)
    until: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
