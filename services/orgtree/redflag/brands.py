"""Brands (ORG-23): "一街一品牌，一社一特色" [003]: one brand per street and one feature per community, named in at
most 10 characters as a reader counts them; a new brand replaces the current one, which stays as history."""

from __future__ import annotations

import unicodedata
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.levels.services import load_schema
from services.orgtree.nodes.models import OrgNode, TreeKind
from services.orgtree.nodes.services import NodeService, in_subtree
from services.orgtree.redflag.models import UnitBrand
from services.orgtree.redflag.schemas import BrandSet, BrandView, UnitBrandView
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.http.problems import ProblemError, invalid
from shared.http.views import views

BRAND_LEVELS = ("street", "community")
NAME_CHARACTERS = 10
ZWJ = "\u200d"
ATTACHED = frozenset((*range(0xFE00, 0xFE10), *range(0x1F3FB, 0x1F400)))  # variation selectors, skin tones


def characters(text: str) -> int:
    """Characters as a reader counts them: composed (NFC), a combining mark, variation selector or skin tone is part
    of the character before it, and a zero-width joiner joins its neighbours into one (a family emoji is one)."""
    count = 0
    joined = False
    for char in unicodedata.normalize("NFC", text):
        if char == ZWJ:
            joined = True
            continue
        attached = unicodedata.category(char) in ("Mn", "Mc", "Me") or ord(char) in ATTACHED
        if not attached and not joined:
            count += 1
        joined = False
    return count


class BrandService:
    def __init__(self, session: AsyncSession, principal: Principal, nodes: NodeService) -> None:
        self.session = session
        self.principal = principal
        self.nodes = nodes

    async def branded_unit(self, node_id: UUID) -> OrgNode:
        unit = await self.nodes.get(node_id)
        if unit.tree != TreeKind.ADMINISTRATIVE or unit.level not in BRAND_LEVELS:
            label = (await load_schema(self.session, unit.tree)).levels.get(unit.level)
            named = f"{unit.level} ({label.label})" if label else unit.level
            raise ProblemError(
                422,
                f"a {named} has no brand: brands are kept for streets and communities",
                errors=[{"field": "path.nodeId", "message": f"a {unit.level} has no brand"}],
            )
        return unit

    async def of_unit(self, node_id: UUID) -> UnitBrandView:
        unit = await self.branded_unit(node_id)
        rows = list(
            await self.session.scalars(
                select(UnitBrand)
                .where(UnitBrand.unit_id == unit.id)
                .order_by(UnitBrand.replaced_at.desc().nulls_first(), UnitBrand.recorded_at.desc())
            )
        )
        current = rows[0] if rows and rows[0].replaced_at is None else None
        history = [r for r in rows if r is not current]
        brand = views(BrandView, [current])[0] if current else None
        return UnitBrandView(
            unit_id=unit.id, unit_name=unit.name, level=unit.level, brand=brand, history=views(BrandView, history)
        )

    async def set(self, node_id: UUID, data: BrandSet) -> UnitBrandView:
        name = unicodedata.normalize("NFC", data.name.strip())
        if not name:
            raise invalid("name", "a brand needs a name")
        if (n := characters(name)) > NAME_CHARACTERS:
            raise invalid("name", f"at most {NAME_CHARACTERS} characters ({n} given)")
        unit = await self.branded_unit(node_id)
        # the unit's row lock: two brands set at once replace one another in turn
        await self.session.execute(select(OrgNode.id).where(OrgNode.id == unit.id).with_for_update())
        at = now()
        await self.session.execute(
            update(UnitBrand)
            .where(UnitBrand.unit_id == unit.id, UnitBrand.replaced_at.is_(None))
            .values(replaced_at=at)
            .execution_options(synchronize_session=False)
        )
        self.session.add(
            UnitBrand(
                unit_id=unit.id,
                unit_path=unit.path,
                name=name,
                description=data.description.strip(),
                recorded_by=self.principal.user_id,
                recorded_at=at,
            )
        )
        await self.session.flush()
        await audit.record(
            self.session, "orgtree.brand.set", subject_type="org_node", subject_id=str(unit.id), detail={"name": name}
        )
        return await self.of_unit(unit.id)

    async def within(self, node_id: UUID | None) -> list[UnitBrandView]:
        """The streets and communities of the scope, each with its current brand (None: not set yet)."""
        scope = await self.nodes.scope_path(node_id)
        units_query = select(OrgNode).where(OrgNode.tree == TreeKind.ADMINISTRATIVE, OrgNode.level.in_(BRAND_LEVELS))
        brands_query = select(UnitBrand).where(UnitBrand.replaced_at.is_(None))
        if scope is not None:
            units_query = units_query.where(in_subtree(OrgNode.path, scope))
            brands_query = brands_query.where(in_subtree(UnitBrand.unit_path, scope))
        units = list(await self.session.scalars(units_query.order_by(OrgNode.path).limit(500)))
        current = {b.unit_id: b for b in await self.session.scalars(brands_query)}
        return [
            UnitBrandView(
                unit_id=u.id,
                unit_name=u.name,
                level=u.level,
                brand=views(BrandView, [current[u.id]])[0] if u.id in current else None,
                history=[],
            )
            for u in units
        ]
