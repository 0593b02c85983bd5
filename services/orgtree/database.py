"""The orgtree database's declarative base and the column helpers its tables share.

Trees are C-collated text paths (docs/architecture-notes.md, "Organisation tree"): rows that hang
somewhere in a tree carry a copy of that node's path (``grid_path``, ``branch_path``, ``village_path``)
so that a subtree of any size is one btree range under RLS; a move rewrites those copies in the same
transaction as the nodes' own paths.
"""

from __future__ import annotations

import uuid

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.context import require_tenant
from shared.db.base import new_metadata

PATH = String(400, collation="C")


def tenant_column() -> Mapped[uuid.UUID]:
    """``tenant_id`` without an index of its own, for the big tables whose composite indexes all lead with it.

    A bare tenant_id index tempts the planner under RLS (the tenant is a run-time parameter, estimated
    as an average district) into reading a whole district instead of one path range.
    """
    return mapped_column(nullable=False, default=require_tenant)


class Base(DeclarativeBase):
    """Declarative base of the orgtree service's tables."""

    metadata = new_metadata()
