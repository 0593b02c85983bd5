"""The documents database's declarative base and the column helpers its tables share."""

from __future__ import annotations

import uuid

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.context import require_tenant
from shared.db.base import new_metadata

PATH = String(400, collation="C")


def tenant_column() -> Mapped[uuid.UUID]:
    """``tenant_id`` without an index of its own: the composite indexes all lead with it."""
    return mapped_column(nullable=False, default=require_tenant)


class Base(DeclarativeBase):
    """Declarative base of the documents service's tables."""

    metadata = new_metadata()
