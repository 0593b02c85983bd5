"""The unit a ticket is placed on and the unit above it, as the directory knows them from orgtree's grids."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.directory.models import DirectoryGrid
from services.dispatch.numbers.schemas import UnitView
from services.dispatch.numbers.services import find_unit


async def parent_of(session: AsyncSession, unit_id: UUID) -> UnitView | None:
    """The unit directly above ``unit_id`` (orgtree's parent: the next rung up), or None at the district's root."""
    grid = await session.get(DirectoryGrid, unit_id)
    if grid is not None:
        chain = grid.ancestors
    else:
        grid = await session.scalar(
            select(DirectoryGrid).where(DirectoryGrid.ancestors.contains([{"id": str(unit_id)}])).limit(1)
        )
        if grid is None:
            return None
        ids = [ancestor.get("id") for ancestor in grid.ancestors]
        chain = grid.ancestors[: ids.index(str(unit_id))]
    return await find_unit(session, UUID(chain[-1]["id"])) if chain else None


__all__ = ["find_unit", "parent_of"]
