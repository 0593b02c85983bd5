"""``redcell demo load`` for orgtree: the trees, people and households of the demo districts."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.demo import attendance, districts, jiaxing, xx, zhanjiang
from services.orgtree.demo.builder import DemoBuilder
from services.orgtree.demo.volunteers import link_volunteers
from services.orgtree.models import Member, OrgNode, TreeKind
from services.orgtree.nodes.services import ensure_tenant_root
from shared import audit
from shared.context import tenant_scope
from shared.db.cells import CellEngines, cell_sessionmaker
from shared.privacy.keys import data_key
from shared.settings import Settings

NAMED_LEVELS = ("street", "town", "village", "community")
Build = Callable[[DemoBuilder, OrgNode, OrgNode, AsyncSession], Awaitable[None]]


# slug: (ID-number region code, builder)
DEMO_TREES: dict[str, tuple[str, Build]] = {
    "wenzhou-longwan": ("330303", districts.yaoxi),
    "wenzhou-ouhai": ("330304", districts.ouhai),
    "huaining-county": ("340822", districts.huaining),
    "jiaxing-nanhu": ("330402", jiaxing.nanhu),
    "xx-district": ("990101", xx.xx_district),  # the seed hides the place: a region code no place has
}


async def load_district(session: AsyncSession, slug: str, name: str) -> bool:
    """Build one demo district's trees in the caller's transaction; False when it already has them."""
    root = await ensure_tenant_root(session, name)
    if await session.scalar(select(func.count()).select_from(OrgNode).where(OrgNode.parent_id == root.id)):
        return False
    party = await session.scalar(select(OrgNode).where(OrgNode.parent_id.is_(None), OrgNode.tree == TreeKind.PARTY))
    if party is None:  # ensure_tenant_root has just made it
        raise RuntimeError("the district has no party root")
    region, build = DEMO_TREES[slug]
    await build(DemoBuilder(session, region, seed=sum(map(ord, slug))), root, party, session)
    await zhanjiang.lost_members(session, slug, region)
    await attendance.cadre_attendance(session, slug)
    await audit.record(session, "orgtree.demo.loaded", subject_type="org_node", subject_id=str(root.id))
    return True


async def named_units(session: AsyncSession) -> dict[str, dict[str, str]]:
    """The district's streets, villages and communities by name, for the loaders after this one (training's demo
    evaluates XX区's communities): the ids are made at random here, and names are unique at these levels."""
    rows = await session.execute(
        select(OrgNode.name, OrgNode.id, OrgNode.path, OrgNode.level).where(OrgNode.level.in_(NAMED_LEVELS))
    )
    return {name: {"id": str(node_id), "path": path, "level": level} for name, node_id, path, level in rows}


async def load_demo(settings: Settings, tenants: list[dict[str, Any]]) -> list[str]:
    engine = CellEngines(settings, "orgtree", "app")  # each district on its own cell
    lines = []
    try:
        for tenant in tenants:
            if tenant["slug"] not in DEMO_TREES:
                continue
            started = time.perf_counter()
            with tenant_scope(UUID(str(tenant["id"]))), audit.actor_scope("system:demo"):
                # the district's data key committed on its own first: a key made in the build's transaction is
                # not cached until it commits, so each of the build's thousands of records would read it again
                async with cell_sessionmaker(engine)() as session, session.begin():
                    await data_key(session, UUID(str(tenant["id"])))
                async with cell_sessionmaker(engine)() as session, session.begin():
                    loaded = await load_district(session, tenant["slug"], tenant["name"])
                    members = await session.scalar(select(func.count()).select_from(Member))
                    region = DEMO_TREES[tenant["slug"]][0]
                    volunteers = await link_volunteers(session, tenant["slug"], region, tenant.get("volunteers", []))
                    tenant["units"] = await named_units(session)
            state = f"loaded in {time.perf_counter() - started:.1f} s" if loaded else "already loaded"
            lines.append(f"org tree of {tenant['name']}: {members} members ({state})")
            lines += volunteers
    finally:
        await engine.dispose()
    return lines
