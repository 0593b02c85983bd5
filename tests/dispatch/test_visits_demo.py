"""龙湾区's demo visits: once orgtree's links have reached dispatch, the loader writes a few weeks of visits by the
red cells, so the compliance report shows links visited and links not; a few matters became tickets and one
hospitalisation raised a mandatory visit. Loading again changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.dispatch.demo.loader import load_demo as load_dispatch_demo
from services.orgtree.demo.loader import load_demo as load_orgtree_demo
from shared.settings import Settings
from tests.dispatch.builders import District, bearer
from tests.dispatch.test_demo import apply_grid_events, longwan, orgtree_ready  # noqa: F401 - the fixture
from tests.platform.tokens import TestIssuer


async def test_the_demo_shows_visited_and_unvisited_links_tickets_and_a_mandatory_visit(
    client: AsyncTestClient[Any],
    issuer: TestIssuer,
    settings: Settings,
    dispatch_db: AsyncEngine,
    orgtree_ready: None,  # noqa: F811
) -> None:
    tenant = longwan()
    tenant_id = uuid.UUID(tenant["id"])
    await load_orgtree_demo(settings, [tenant])
    first = await load_dispatch_demo(settings, [tenant])
    assert any("no red-cell links here yet" in line for line in first)  # make dev's first start: no links yet
    await apply_grid_events(settings, tenant_id, tenant["volunteers"][0]["gridId"])

    loaded = await load_dispatch_demo(settings, [tenant])
    assert any(line.strip().startswith("visits: ") and "matters became tickets" in line for line in loaded), loaded
    admin = bearer(issuer, tenant_id, ["district_admin"], user_id=uuid.uuid4())
    report = (await client.get("/api/dispatch/visits/compliance", headers=admin)).json()
    assert report["days"] == 7
    assert 0 < report["total"]["unvisited"] < report["total"]["links"]  # both visited and unvisited links
    tasks = (await client.get("/api/dispatch/visits/tasks", headers=admin)).json()["items"]
    assert [(t["kind"], t["assignedAs"]) for t in tasks] == [("hospitalised", "linked")]

    async def visit_tickets(session: AsyncSession) -> int:
        found = await session.scalar(
            text("SELECT count(*) FROM visit_matter m JOIN ticket t ON t.id = m.ticket_id WHERE t.channel = 'visit'")
        )
        return int(found or 0)

    district = District(tenant_id, dispatch_db)
    made = await district.run(visit_tickets)
    assert made > 0
    again = await load_dispatch_demo(settings, [tenant])
    assert any("visits already loaded" in line for line in again)
    assert await district.run(visit_tickets) == made
