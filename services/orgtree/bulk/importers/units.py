"""Units of either tree, by the name path of their parent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from services.orgtree.bulk.columns import TREE_LABELS, BulkKind, text
from services.orgtree.bulk.importers.frame import Importer, RowView, coded, level_code, short_text
from services.orgtree.bulk.tree import Unit, name_key
from services.orgtree.levels.services import LevelSchema, load_schema
from services.orgtree.models import OrgNode, TreeKind
from services.orgtree.nodes.services import FORMATION_BASES
from shared.http.problems import ProblemError


@dataclass(slots=True)
class PlannedUnit:
    row: int
    unit: Unit
    linked: Unit | None


class UnitImporter(Importer):
    """Units in the order given: a unit may hang under one an earlier row adds. An existing unit of the
    same name and level under the same parent is left as it is (so an edited export can be re-imported)."""

    kind = BulkKind.UNITS

    async def prepare(self) -> None:
        self.schemas: dict[str, LevelSchema] = {tree: await load_schema(self.session, tree) for tree in TreeKind}
        self.planned: list[PlannedUnit] = []

    def check_row(self, row: int, view: RowView) -> None:
        before = self.errors.count
        tree = self.take(row, view, "tree", coded(TREE_LABELS))
        name = self.take(row, view, "name", short_text(200))
        level_text = self.take(row, view, "level", text)
        basis = self.take(row, view, "formation_basis", coded(FORMATION_BASES))
        if tree is None or name is None or level_text is None:
            return
        schema = self.schemas[tree]
        # Walk past units outside the caller's view: re-importing its own export names the top unit of its
        # scope under a parent it cannot see. Adding under such a parent is refused below as "not found".
        parent = self.take(row, view, "parent", lambda raw: self.units.find(tree, text(raw), visible=False))
        level = self.take(row, view, "level", lambda _: level_code(schema, level_text))
        linked = self.take(row, view, "linked", self.unit(TreeKind.ADMINISTRATIVE, lambda _: None))
        if linked is not None and tree != TreeKind.PARTY:
            self.fail(row, "linked", "only party units name an administrative counterpart")
        if parent is None or level is None or self.errors.count > before:
            return
        try:
            spec = schema.check_child(parent.level, level)
        except ProblemError as exc:
            self.fail(row, "level", str(exc.detail))
            return
        if basis is not None and not spec.is_grid:
            self.fail(row, "formation_basis", f"only grids record how they were formed; '{level}' is not a grid")
            return
        existing_units = [u for u in parent.children.get(name_key(name), []) if self.units.visible(u)]
        if not self.units.visible(parent) and not existing_units:
            self.fail(row, "parent", self.units.missing(tree, text(view.raw("parent")) or ""))
            return
        for existing in existing_units:
            if existing.planned_row is not None:
                self.fail(row, "name", f"row {existing.planned_row} adds the same unit")
            elif existing.level != level:
                self.fail(row, "name", f"a unit of this name already hangs there as a {existing.level}")
            else:
                self.unchanged += 1
            return
        unit = self.units.plan(parent, level, name_key(name), row=row, linked=linked, basis=basis)
        self.planned.append(PlannedUnit(row, unit, linked))

    async def write(self) -> dict[str, int]:
        stored: dict[uuid.UUID, uuid.UUID] = {}  # planned id -> stored id
        created = 0
        for item in self.planned:
            unit = item.unit
            assert unit.parent is not None
            parent_id = stored.get(unit.parent.id, unit.parent.id)
            # A grid added above may have brought its party group along (dual-network fusion).
            existing = await self.session.scalar(
                select(OrgNode).where(OrgNode.parent_id == parent_id, OrgNode.name == unit.name)
            )
            if existing is not None and existing.level == unit.level:
                stored[unit.id] = existing.id
                self.unchanged += 1
                continue
            linked_id = stored.get(item.linked.id, item.linked.id) if item.linked else None
            node = await self.nodes.create_child(
                parent_id, unit.level, unit.name, linked_node_id=linked_id, formation_basis=unit.formation_basis
            )
            stored[unit.id] = node.id
            created += 1
            await self.progress.storing(created, len(self.planned))
        return {"units": created}
