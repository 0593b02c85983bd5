"""Exports: the caller's view (its scope, or a unit inside it), personal data masked, in the import layout.

Personal values come from the ``*_masked`` columns only (nothing is decrypted); restricted household
categories (GW-08: income, health, conflict) show as ``受限``. A units or households export can be edited
and imported again; masked cells are read back as "not given".
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import ColumnElement, Executable, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from services.orgtree.bulk.columns import COLUMNS, LABELS, NO, RESTRICTED, SHEET_TITLES, TREE_LABELS, YES, BulkKind
from services.orgtree.bulk.formats import ExportFormat, SheetWriter
from services.orgtree.bulk.tree import Unit, UnitIndex
from services.orgtree.households.rules import RESTRICTED_CATEGORIES
from services.orgtree.levels.services import load_schema
from services.orgtree.members.rules import INFO_CARD_FIELDS
from services.orgtree.models import Household, HouseholdLink, Member, Post, TreeKind
from services.orgtree.nodes.services import FORMATION_BASES, in_subtree, not_found
from shared import audit
from shared.auth.principal import Principal

YIELD_ROWS = 2_000
LIST_JOIN = "、"


@dataclass
class ExportFile:
    kind: BulkKind
    file_format: ExportFormat
    rows: int
    content: IO[bytes]


class Exporter:
    def __init__(self, session: AsyncSession, principal: Principal, units: UnitIndex, within: Unit | None) -> None:
        self.session = session
        self.principal = principal
        self.units = units
        self.within = within

    def tops(self, tree: str) -> list[Unit]:
        """Where the export reaches in ``tree``: the ``within`` unit, else the caller's visible tops."""
        if self.within is not None:
            return [self.within] if self.within.tree == tree else []
        return self.units.visible_tops(tree)

    def reach(
        self, column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None], tree: str
    ) -> ColumnElement[bool]:
        tops = self.tops(tree)
        return or_(*(in_subtree(column, top.path) for top in tops)) if tops else false()

    def path_of(self, unit_id: uuid.UUID | None) -> str:
        return self.units.name_path(self.units.by_id.get(unit_id)) if unit_id is not None else ""

    async def stream(self, query: Executable) -> AsyncIterator[Any]:
        result = await self.session.stream(query.execution_options(yield_per=YIELD_ROWS))
        async for row in result:
            yield row

    async def units_rows(self) -> AsyncIterator[Sequence[object]]:
        schemas = {tree: await load_schema(self.session, tree) for tree in TreeKind}
        for tree in (TreeKind.ADMINISTRATIVE, TreeKind.PARTY):  # counterparts before the party units naming them
            labels = {code: level.label for code, level in schemas[tree].levels.items()}
            for top in self.tops(tree):
                stack = [top]
                while stack:
                    unit = stack.pop()
                    if unit.parent is not None:
                        linked = self.units.by_id.get(unit.linked_id) if unit.linked_id else None
                        yield [
                            TREE_LABELS[unit.tree],
                            self.units.name_path(unit.parent),
                            unit.name,
                            labels.get(unit.level, unit.level),
                            self.units.name_path(linked) if linked and self.units.visible(linked) else None,
                            FORMATION_BASES.get(unit.formation_basis or "") if unit.formation_basis else None,
                        ]
                    children = sorted((c for cs in unit.children.values() for c in cs), key=lambda c: (c.name, c.path))
                    stack.extend(reversed(children))  # parents before children, siblings by name

    async def members_rows(self) -> AsyncIterator[Sequence[object]]:
        posts = {p.code: p.label for p in await self.session.scalars(select(Post))}
        query = (
            select(
                Member.name,
                Member.id_card_masked,
                Member.phone_masked,
                Member.branch_id,
                Member.grid_id,
                Member.classification,
                Member.flags,
                Member.joined_on,
                Member.post_code,
                Member.post_method,
                Member.info_card,
            )
            .where(
                or_(
                    self.reach(Member.grid_path, TreeKind.ADMINISTRATIVE),
                    self.reach(Member.branch_path, TreeKind.PARTY),
                )
            )
            .order_by(Member.branch_path, Member.name, Member.id)
        )
        async for m in self.stream(query):
            yield [
                m.name,
                m.id_card_masked,
                m.phone_masked,
                self.path_of(m.branch_id),
                self.path_of(m.grid_id) or None,
                LABELS["classification"].get(m.classification, m.classification),
                LIST_JOIN.join(LABELS["flags"].get(f, f) for f in m.flags) or None,
                m.joined_on,
                posts.get(m.post_code, m.post_code) if m.post_code else None,
                LABELS["post_method"].get(m.post_method, m.post_method) if m.post_method else None,
                *(m.info_card.get(key) for key in INFO_CARD_FIELDS),
            ]

    async def households_rows(self) -> AsyncIterator[Sequence[object]]:
        query = (
            select(
                Household.grid_id,
                Household.label,
                Household.head_name_masked,
                Household.address_masked,
                Household.phone_masked,
                Household.categories,
                Household.is_member_hub,
                Household.plaque,
                Household.plaque_issued_on,
            )
            .where(self.reach(Household.grid_path, TreeKind.ADMINISTRATIVE))
            .order_by(Household.grid_path, Household.label)
        )
        async for h in self.stream(query):
            yield [
                self.path_of(h.grid_id),
                h.label,
                h.head_name_masked,
                h.address_masked,
                h.phone_masked,
                categories_shown(h.categories),
                YES if h.is_member_hub else NO,
                LABELS["plaque"].get(h.plaque, h.plaque) if h.plaque else None,
                h.plaque_issued_on,
            ]

    async def links_rows(self) -> AsyncIterator[Sequence[object]]:
        reach = (
            self.reach(Member.branch_path, TreeKind.PARTY)
            if self.within is not None and self.within.tree == TreeKind.PARTY
            else self.reach(Household.grid_path, TreeKind.ADMINISTRATIVE)
        )
        query = (
            select(Member.id_card_masked, Member.name, Household.grid_id, Household.label, HouseholdLink.since)
            .join(Member, Member.id == HouseholdLink.member_id)
            .join(Household, Household.id == HouseholdLink.household_id)
            .where(reach)
            .order_by(Member.branch_path, Member.name, Member.id, Household.grid_path, Household.label)
        )
        async for link in self.stream(query):
            yield [link.id_card_masked, link.name, self.path_of(link.grid_id), link.label, link.since]


def categories_shown(codes: Sequence[str]) -> str | None:
    shown = [LABELS["categories"].get(c, c) for c in codes if c not in RESTRICTED_CATEGORIES]
    if any(c in RESTRICTED_CATEGORIES for c in codes):
        shown.append(RESTRICTED)
    return LIST_JOIN.join(shown) or None


async def run_export(
    session: AsyncSession, principal: Principal, kind: BulkKind, file_format: ExportFormat, within: uuid.UUID | None
) -> ExportFile:
    units = await UnitIndex.load(session, principal)
    unit = None
    if within is not None:
        unit = units.by_id.get(within)
        if unit is None or not units.visible(unit):
            raise not_found()
    exporter = Exporter(session, principal, units, unit)
    rows = {
        BulkKind.UNITS: exporter.units_rows,
        BulkKind.MEMBERS: exporter.members_rows,
        BulkKind.HOUSEHOLDS: exporter.households_rows,
        BulkKind.LINKS: exporter.links_rows,
    }[kind]()
    writer = SheetWriter(file_format, SHEET_TITLES[kind], [c.header for c in COLUMNS[kind]])
    try:
        async for cells in rows:
            writer.append(cells)
        content = writer.finish()
    except BaseException:
        writer.discard()
        raise
    await audit.record(
        session,
        f"orgtree.export.{kind.value}",
        subject_type="org_node" if unit else None,
        subject_id=str(unit.id) if unit else None,
        detail={"kind": kind.value, "format": file_format, "rows": writer.rows},
    )
    return ExportFile(kind, file_format, writer.rows, content)
