"""Units as the sheets name them: the chain of names below the district's root, e.g. ``瑶溪街道/上河村/第一网格``.

The district's units are loaded once per import or export (a district has thousands of units, not
millions). A scoped caller sees the units inside its scope path (GW-04, as ``NodeService.get``); a unit
outside is reported as not found, exactly like a missing one.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.bulk.columns import CellError
from services.orgtree.models import OrgNode
from services.orgtree.nodes.paths import child_path, new_segment
from shared.auth.principal import Principal

SEPARATOR = "/"


@dataclass(eq=False, slots=True)
class Unit:
    id: uuid.UUID
    parent: Unit | None
    tree: str
    level: str
    name: str
    path: str
    linked_id: uuid.UUID | None = None
    formation_basis: str | None = None
    planned_row: int | None = None  # a unit the file being imported adds (row number), not stored yet
    children: dict[str, list[Unit]] = field(default_factory=dict)


def name_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip()


class UnitIndex:
    def __init__(self, principal: Principal, units: list[Unit]) -> None:
        self.principal = principal
        self.by_id: dict[uuid.UUID, Unit] = {}
        self.roots: dict[str, Unit] = {}
        self._names: dict[uuid.UUID, str] = {}
        self._found: dict[tuple[str, str], Unit | str] = {}
        for unit in units:  # parents first (path order)
            self._register(unit)

    @classmethod
    async def load(cls, session: AsyncSession, principal: Principal) -> UnitIndex:
        rows = await session.execute(
            select(
                OrgNode.id,
                OrgNode.parent_id,
                OrgNode.tree,
                OrgNode.level,
                OrgNode.name,
                OrgNode.path,
                OrgNode.linked_node_id,
                OrgNode.formation_basis,
            ).order_by(OrgNode.path)
        )
        units: list[Unit] = []
        by_id: dict[uuid.UUID, Unit] = {}
        for row in rows:
            unit = Unit(
                row.id,
                by_id.get(row.parent_id) if row.parent_id else None,
                row.tree,
                row.level,
                row.name,
                row.path,
                row.linked_node_id,
                row.formation_basis,
            )
            by_id[unit.id] = unit
            units.append(unit)
        return cls(principal, units)

    def _register(self, unit: Unit) -> None:
        self.by_id[unit.id] = unit
        if unit.parent is None:
            self.roots.setdefault(unit.tree, unit)
        else:
            unit.parent.children.setdefault(name_key(unit.name), []).append(unit)

    def plan(self, parent: Unit, level: str, name: str, *, row: int, linked: Unit | None, basis: str | None) -> Unit:
        """A unit the file adds: later rows may hang under it or name it before anything is stored."""
        unit = Unit(
            uuid.uuid4(),
            parent,
            parent.tree,
            level,
            name,
            child_path(parent.path, new_segment()),
            linked.id if linked else None,
            basis,
            planned_row=row,
        )
        self._register(unit)
        self._found.clear()
        return unit

    def visible(self, unit: Unit) -> bool:
        return self.principal.may_see_path(unit.path)

    def visible_tops(self, tree: str) -> list[Unit]:
        """The highest visible units of ``tree``: the caller's view of it is the union of their subtrees."""
        root = self.roots.get(tree)
        if root is None:
            return []
        tops: list[Unit] = []
        stack = [root]
        while stack:
            unit = stack.pop()
            if unit.planned_row is not None:
                continue
            if self.visible(unit):
                tops.append(unit)
            else:
                stack.extend(child for siblings in unit.children.values() for child in siblings)
        return sorted(tops, key=lambda u: u.path)

    def name_path(self, unit: Unit | None) -> str:
        """``瑶溪街道/上河村`` for a unit; empty for the root (and for no unit)."""
        if unit is None or unit.parent is None:
            return ""
        known = self._names.get(unit.id)
        if known is None:
            above = self.name_path(unit.parent)
            known = f"{above}{SEPARATOR}{unit.name}" if above else unit.name
            self._names[unit.id] = known
        return known

    def find(self, tree: str, raw: str | None, *, visible: bool = True) -> Unit:
        """The visible unit of ``tree`` at a name path (empty: the root); CellError when there is none.

        ``visible=False`` also returns a unit outside the caller's view: only for walking on to a visible one.
        """
        key = (tree, raw or "")
        found = self._found.get(key)
        if found is None:
            found = self._walk(tree, raw or "")
            self._found[key] = found
        if isinstance(found, str):
            raise CellError(found)
        if visible and not self.visible(found):
            raise CellError(self.missing(tree, raw or ""))
        return found

    @staticmethod
    def missing(tree: str, raw: str) -> str:
        return f"no unit '{raw}' in the {tree} tree" if raw else f"the {tree} tree's root is outside your scope"

    def _walk(self, tree: str, raw: str) -> Unit | str:
        missing = self.missing(tree, raw)
        unit = self.roots.get(tree)
        if unit is None:
            return missing
        names = [name_key(part) for part in raw.split(SEPARATOR) if name_key(part)]
        if names and names[0] == name_key(unit.name) and names[0] not in unit.children:
            names = names[1:]  # the path may start with the root's own name
        for name in names:
            candidates = unit.children.get(name, [])
            if len(candidates) > 1 and any(self._reachable(c) for c in candidates):
                return f"'{raw}' is ambiguous: {len(candidates)} units named '{name}' hang there"
            if not candidates:
                return missing
            unit = candidates[0]
        return unit

    def _reachable(self, unit: Unit) -> bool:
        scope = self.principal.scope
        return self.visible(unit) or (scope is not None and scope.startswith(unit.path))
