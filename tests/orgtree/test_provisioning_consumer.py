"""orgtree's handling of TenantProvisioned: one root per district, however often the event arrives."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.orgtree.events import consumer
from services.orgtree.levels.templates import PARTY, RURAL
from services.orgtree.models import OrgLevel, OrgNode
from services.orgtree.tenants.actors import create_district_root  # noqa: F401 - registers the handler
from shared.context import tenant_scope
from shared.contracts.tenants import TenantProvisioned
from shared.db.engine import make_sessionmaker
from shared.settings import Settings
from tests.platform.events import envelope


async def test_a_redelivered_event_changes_nothing(settings: Settings, orgtree_db: AsyncEngine) -> None:
    consumer._settings = settings
    tenant = uuid.uuid4()
    event = TenantProvisioned(tenant_id=tenant, slug="huaining-county", name="怀宁县")
    raw = envelope(event)
    assert await consumer.handle(raw) is True
    assert await consumer.handle(raw) is False
    with tenant_scope(tenant):
        async with make_sessionmaker(orgtree_db)() as session:
            roots = await session.scalars(select(OrgNode).where(OrgNode.parent_id.is_(None)))
            names = sorted((r.tree, r.name) for r in roots)
    assert names == [("administrative", "怀宁县"), ("party", "中共怀宁县委员会")]
    # a second, distinct delivery of provisioning (e.g. re-provisioning) still leaves one root per tree
    again = {**raw, "id": str(uuid.uuid4())}
    assert await consumer.handle(again) is True
    with tenant_scope(tenant):
        async with make_sessionmaker(orgtree_db)() as session:
            count = await session.scalar(select(func.count()).select_from(OrgNode))
            levels = await session.scalar(select(func.count()).select_from(OrgLevel))
    assert count == 2
    assert levels == len(RURAL) + len(PARTY)
