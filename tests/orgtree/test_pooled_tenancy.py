"""The orgtree database enforces tenancy itself, whatever the application code does."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.orgtree.models import OrgNode
from shared.context import tenant_scope
from shared.db.engine import make_sessionmaker
from tests.orgtree.conftest import make_district


async def test_no_tenant_bound_means_no_rows(orgtree_db: AsyncEngine) -> None:
    await make_district(orgtree_db, "怀宁县")
    async with make_sessionmaker(orgtree_db)() as session:
        assert (await session.scalars(select(OrgNode))).all() == []
        # the pooled connection that just served a tenant reads '' and still returns nothing, without error
        assert (await session.execute(text("SELECT current_setting('app.tenant_id', true)"))).scalar() in ("", None)


async def test_pooled_concurrent_sessions_never_see_the_other_tenant(orgtree_db: AsyncEngine) -> None:
    districts = [await make_district(orgtree_db, name) for name in ("龙湾区", "瓯海区")]
    sessions = make_sessionmaker(orgtree_db)

    async def read(i: int) -> tuple[uuid.UUID, set[uuid.UUID]]:
        district = districts[i % 2]
        with tenant_scope(district.id):
            async with sessions() as session, session.begin():
                await session.execute(text("SELECT pg_sleep(0.002)"))
                seen = set((await session.scalars(select(OrgNode.tenant_id))).all())
        return district.id, seen

    for _ in range(4):
        results = await asyncio.gather(*(read(i) for i in range(50)))
        for tenant, seen in results:
            assert seen == {tenant}
