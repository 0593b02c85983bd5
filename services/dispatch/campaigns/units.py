"""Villages (communities) and streets as the directory knows them from orgtree's grids: the units campaign days,
the micro-fund and meetings belong to, with the path that confines staff to their subtree."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import is_operator
from services.dispatch.catalogue.defaults import ORG_LEVELS
from services.dispatch.directory.models import DirectoryGrid
from shared.auth.principal import Principal
from shared.http.problems import missing

UNIT_LEVELS = ("village", "street")


@dataclass(frozen=True, slots=True)
class Unit:
    id: UUID
    name: str
    level: str  # village | street (the ladder's org levels)
    path: str  # orgtree's path of the unit: its subtree is everything under it
    street_name: str | None = None


def _level(code: str | None) -> str | None:
    return next((level for level in UNIT_LEVELS if code in ORG_LEVELS[level]), None)


def units_of(grid: DirectoryGrid) -> list[Unit]:
    """The villages and streets above ``grid``, root first."""
    chain = list(grid.ancestors)
    segments = [s for s in grid.path.split("/") if s]
    found = []
    street_name = None
    for index, ancestor in enumerate(chain):
        level = _level(ancestor.get("level"))
        if level is None or not ancestor.get("id"):
            continue
        # orgtree's path has one segment per ancestor and the grid's own last
        path = "/" + "/".join(segments[: index + 1]) + "/" if len(segments) == len(chain) + 1 else grid.path
        name = ancestor.get("name") or ""
        found.append(Unit(UUID(ancestor["id"]), name, level, path, street_name if level == "village" else None))
        if level == "street":
            street_name = name
    return found


def visible(principal: Principal, unit: Unit) -> bool:
    return is_operator(principal) or principal.may_see_path(unit.path)


async def find_unit(session: AsyncSession, principal: Principal, unit_id: UUID, *levels: str) -> Unit:
    """The unit ``unit_id`` of one of ``levels``; another district's, another subtree's or another level's is a 404."""
    grids = await session.scalars(
        select(DirectoryGrid).where(DirectoryGrid.ancestors.contains([{"id": str(unit_id)}])).limit(1)
    )
    grid = grids.first()
    unit = next((u for u in units_of(grid) if u.id == unit_id), None) if grid is not None else None
    if unit is None or unit.level not in (levels or UNIT_LEVELS) or not visible(principal, unit):
        raise missing("village or street" if len(levels) != 1 else levels[0])
    return unit


async def all_units(session: AsyncSession, principal: Principal, *levels: str) -> list[Unit]:
    """Every village and street the caller may see, streets first then by name."""
    found: dict[UUID, Unit] = {}
    for grid in await session.scalars(select(DirectoryGrid).order_by(DirectoryGrid.path)):
        for unit in units_of(grid):
            if unit.id not in found and unit.level in (levels or UNIT_LEVELS) and visible(principal, unit):
                found[unit.id] = unit
    return sorted(found.values(), key=lambda u: (u.level != "street", u.street_name or "", u.name))
