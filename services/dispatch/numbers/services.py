"""The district's published numbers (DSP-02) and the owning unit a dialled number places a call at.

Dispatch knows orgtree's units only through its grids' chains (``directory_grid.ancestors``, root first), so a
unit is found as an ancestor of some grid and its path is that grid's path cut after the unit's segment."""

from __future__ import annotations

import re
from uuid import UUID

from sqlalchemy import cast, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.directory.models import DirectoryGrid
from services.dispatch.numbers.models import HotlineNumber
from services.dispatch.numbers.schemas import NumberChange, NumberCreate, UnitView
from services.dispatch.tickets.intake import changed_values
from shared import audit
from shared.clock import now
from shared.db.repository import Repository
from shared.http.problems import conflict, invalid

_SEPARATORS = re.compile(r"[\s\-()]")
_DIGITS = re.compile(r"^\d{5,20}$")  # short numbers such as 96345 up to area code + number


def normalize_number(number: str) -> str | None:
    """Digits only (0577-8888 7171 → 057788887171); None when that is not a telephone number."""
    digits = _SEPARATORS.sub("", number)
    return digits if _DIGITS.fullmatch(digits) else None


def _prefix(path: str, segments: int) -> str:
    return "/" + "/".join(path.strip("/").split("/")[:segments]) + "/"


def _units_of(grid: DirectoryGrid) -> list[UnitView]:
    """The grid's chain of units with their paths, root first, and the grid itself last."""
    units = [
        UnitView(id=UUID(unit["id"]), level=unit["level"], name=unit["name"], path=_prefix(grid.path, depth + 1))
        for depth, unit in enumerate(grid.ancestors)
    ]
    return [*units, UnitView(id=grid.grid_id, level="grid", name=grid.name, path=grid.path)]


async def find_unit(session: AsyncSession, unit_id: UUID) -> UnitView | None:
    """The unit ``unit_id`` of this district (an ancestor of one of its grids, or a grid), or None."""
    grid = await session.get(DirectoryGrid, unit_id)
    if grid is None:
        contains = DirectoryGrid.ancestors.op("@>")(cast([{"id": str(unit_id)}], JSONB))
        grid = await session.scalar(select(DirectoryGrid).where(contains, DirectoryGrid.path != "").limit(1))
    if grid is None or not grid.path:
        return None
    return next((unit for unit in _units_of(grid) if unit.id == unit_id), None)


async def number_owner(session: AsyncSession, dialled: str) -> HotlineNumber:
    """The active number ``dialled`` of this district: a clear 422 naming ``dialledNumber`` otherwise."""
    number = normalize_number(dialled)
    if number is None:
        raise invalid("dialledNumber", "not a telephone number (digits, 5 to 20)")
    owner: HotlineNumber | None = await session.scalar(
        select(HotlineNumber).where(HotlineNumber.number == number, HotlineNumber.active.is_(True))
    )
    if owner is None:
        raise invalid("dialledNumber", "not one of this district's hotline numbers")
    return owner


class NumberRepository(Repository[HotlineNumber]):
    model_type = HotlineNumber
    noun = "hotline number"


class NumberService:
    def __init__(self, session: AsyncSession, repository: NumberRepository) -> None:
        self.session = session
        self.repository = repository

    async def listed(self) -> list[HotlineNumber]:
        """District first, then by the owning unit's place in the tree."""
        query = select(HotlineNumber).order_by(HotlineNumber.unit_path, HotlineNumber.number)
        return list(await self.session.scalars(query))

    async def units(self, level: str | None) -> list[UnitView]:
        """Every unit the directory knows, in tree order (one row per unit)."""
        found: dict[UUID, UnitView] = {}
        for grid in await self.session.scalars(select(DirectoryGrid).where(DirectoryGrid.path != "")):
            for unit in _units_of(grid):
                found.setdefault(unit.id, unit)
        units = sorted(found.values(), key=lambda unit: unit.path)
        return [unit for unit in units if level is None or unit.level == level]

    async def _unit(self, unit_id: UUID) -> UnitView:
        unit = await find_unit(self.session, unit_id)
        if unit is None:
            raise invalid("unitId", "not a unit of this district")
        return unit

    async def _free(self, number: str) -> None:
        if await self.session.scalar(select(HotlineNumber.id).where(HotlineNumber.number == number)):
            raise conflict(f"the number {number} is already listed in this district")

    async def create(self, data: NumberCreate) -> HotlineNumber:
        number = normalize_number(data.number)
        if number is None:
            raise invalid("number", "not a telephone number (digits, 5 to 20)")
        unit = await self._unit(data.unit_id)
        await self._free(number)
        row = HotlineNumber(
            number=number,
            unit_id=unit.id,
            unit_level=unit.level,
            unit_name=unit.name,
            unit_path=unit.path,
            label=data.label.strip(),
            synthetic=data.synthetic,
            active=True,
        )
        self.session.add(row)
        await self.session.flush()
        await self._audit("created", row)
        return row

    async def change(self, number_id: UUID, data: NumberChange) -> HotlineNumber:
        row = await self.repository.get_or_404(number_id, for_update=True)
        values = changed_values(data)
        if "unit_id" in values:
            unit = await self._unit(values.pop("unit_id"))
            row.unit_id, row.unit_level, row.unit_name, row.unit_path = unit.id, unit.level, unit.name, unit.path
        if "label" in values:
            values["label"] = values["label"].strip()
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = now()  # set here, not by the column's onupdate: the answer shows it without a reload
        await self.session.flush()
        await self._audit("changed", row)
        return row

    async def _audit(self, action: str, row: HotlineNumber) -> None:
        detail = {"number": row.number, "unitId": str(row.unit_id), "active": row.active}
        await audit.record(
            self.session,
            f"dispatch.hotline_number.{action}",
            subject_type="hotline_number",
            subject_id=str(row.id),
            detail=detail,
        )
