"""Org nodes: the units of a district's two trees and their structure history."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped, Timestamped, uuid7


class TreeKind(StrEnum):
    ADMINISTRATIVE = "administrative"  # district → street/town → community/village → grid (→ households)
    PARTY = "party"  # party committee → general branch → branch → party group (→ members)


class OrgNode(TenantScoped, Timestamped, Base):
    """A unit in one of the district's trees. ``path`` is the chain of segments from the root, e.g. ``/3f9a01c2/``."""

    __tablename__ = "org_node"
    __table_args__ = (
        UniqueConstraint("tenant_id", "path", name="uq_org_node_tenant_path"),
        Index("ix_org_node_tenant_parent", "tenant_id", "parent_id"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("org_node.id", ondelete="RESTRICT"))
    tree: Mapped[str] = mapped_column(String(20), nullable=False)
    level: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    path: Mapped[str] = mapped_column(PATH, nullable=False)
    # A party unit's administrative counterpart (ORG-02), e.g. a grid party group's grid.
    linked_node_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("org_node.id", ondelete="SET NULL"))
    formation_basis: Mapped[str | None] = mapped_column(String(40))  # ORG-06, grids only
    flags: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)


class OrgNodeVersion(TenantScoped, Base):
    """Structure history: one row per period in which a node had a given parent, name and level."""

    __tablename__ = "org_node_version"
    __table_args__ = (Index("ix_org_node_version_parent", "tenant_id", "parent_id", "valid_from"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    node_id: Mapped[uuid.UUID] = mapped_column(nullable=False, index=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column()
    tree: Mapped[str] = mapped_column(String(20), nullable=False)
    level: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    valid_to: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
