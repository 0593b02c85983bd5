"""Tables of the orgtree service. Trees are C-collated text paths (architecture.md section 3)."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db.base import TenantScoped, Timestamped, new_metadata, uuid7


class Base(DeclarativeBase):
    """Declarative base of the orgtree service's tables."""

    metadata = new_metadata()


class TreeKind(StrEnum):
    ADMINISTRATIVE = "administrative"  # district → street/town → community/village → grid → household
    PARTY = "party"  # party committee → general branch → branch → party group


class OrgNode(TenantScoped, Timestamped, Base):
    """A unit in one of the district's trees. ``path`` is the chain of segments from the root, e.g. ``/3f9a01c2/``."""

    __tablename__ = "org_node"
    __table_args__ = (
        UniqueConstraint("tenant_id", "path", name="uq_org_node_tenant_path"),
        Index("ix_org_node_tenant_parent", "tenant_id", "parent_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("org_node.id", ondelete="RESTRICT"))
    tree: Mapped[str] = mapped_column(String(20), nullable=False)
    level: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    path: Mapped[str] = mapped_column(String(400, collation="C"), nullable=False)
