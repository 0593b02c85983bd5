"""Virtual groupings and their entries."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import PATH, Base
from shared.db.base import TenantScoped, Timestamped, uuid7


class Grouping(TenantScoped, Timestamped, Base):
    """A virtual grouping that is neither grid nor branch (ORG-16): courtyard, red-cell cluster, service team."""

    __tablename__ = "grouping"
    __table_args__ = (Index("ix_grouping_anchor_path", "tenant_id", "anchor_path"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    anchor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="RESTRICT"), nullable=False)
    anchor_path: Mapped[str] = mapped_column(PATH, nullable=False)
    contact_member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    hub_household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("household.id", ondelete="SET NULL"))
    chat_group_ref: Mapped[str | None] = mapped_column(String(200))


class GroupingMember(TenantScoped, Base):
    """A member or a household in a grouping."""

    __tablename__ = "grouping_member"
    __table_args__ = (
        UniqueConstraint("tenant_id", "grouping_id", "member_id", "household_id", name="uq_grouping_member_entry"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    grouping_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("grouping.id", ondelete="CASCADE"), nullable=False)
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"))
