"""A grid's leader."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import PATH, Base
from shared.db.base import TenantScoped, uuid7


class GridLeader(TenantScoped, Base):
    """The one red-collar leader (or grid party group leader) of a grid (ORG-03); the unique key refuses a second."""

    __tablename__ = "grid_leader"
    __table_args__ = (UniqueConstraint("tenant_id", "grid_id", name="uq_grid_leader_tenant_grid"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    grid_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("org_node.id", ondelete="CASCADE"), nullable=False)
    grid_path: Mapped[str] = mapped_column(PATH, nullable=False, index=True)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id", ondelete="RESTRICT"), nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    since: Mapped[date] = mapped_column(Date, nullable=False)
