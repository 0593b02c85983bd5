"""Orgtree's facts as dispatch needs them, kept in step by its events: grids, households' grids, red-cell links."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import PATH, Base, tenant_column
from shared.db.base import TenantScoped


class DirectoryGrid(TenantScoped, Base):
    """A grid and its chain of units up to the district (ids and names only), for routing and the ladder."""

    __tablename__ = "directory_grid"
    __table_args__ = (Index("ix_directory_grid_tenant_path", "tenant_id", "path"),)  # a moved subtree's range

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    grid_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    path: Mapped[str] = mapped_column(PATH, nullable=False, default="")  # orgtree's path: staff scopes
    # Ancestors from the district root down to the grid's parent: [{"id", "level", "name"}].
    ancestors: Mapped[list[dict[str, str]]] = mapped_column(JSONB, nullable=False, default=list)
    leader_member_id: Mapped[uuid.UUID | None] = mapped_column()


class DirectoryHousehold(TenantScoped, Base):
    """Which grid a household is in (no personal data: orgtree keeps that)."""

    __tablename__ = "directory_household"

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    household_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    grid_id: Mapped[uuid.UUID | None] = mapped_column()


class DirectoryLink(TenantScoped, Base):
    """A red-cell link: the member who serves a household ranks first for its tickets."""

    __tablename__ = "directory_link"

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    household_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    member_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)


class DirectoryUnitMove(TenantScoped, Base):
    """The latest orgtree move applied per unit (``directory/moves.py``): an older or replayed one changes nothing.
    Its paths and the unit's new chain are kept so that a grid's ``GridCreated`` arriving after the move (late, from
    the bulk lane, or replayed) is moved too; moves applied before they were kept have none."""

    __tablename__ = "directory_unit_move"

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    unit_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    moved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    old_path: Mapped[str | None] = mapped_column(PATH)
    new_path: Mapped[str | None] = mapped_column(PATH)
    chain: Mapped[list[dict[str, str]] | None] = mapped_column(JSONB)
