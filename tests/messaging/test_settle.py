"""``redcell demo load`` brings the event flow to rest before each service's loader (shared/messaging/settle.py):
the relays and workers it runs deliver a new district to every service, and orgtree's events on to dispatch,; then
they stop."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg

from shared.contracts.orgtree import GridCreated
from shared.db.engine import make_engine, make_sessionmaker
from shared.db.urls import database_url, plain_dsn
from shared.messaging.outbox import publish
from shared.messaging.settle import EventFlow
from shared.settings import Settings
from tests.platform.platform import PASSWORD, redcell, settle_earlier_events


def fetch(settings: Settings, component: str, sql: str, *args: object) -> list[asyncpg.Record]:
    async def rows() -> list[asyncpg.Record]:
        connection = await asyncpg.connect(plain_dsn(database_url(settings, component, "system")))
        try:
            return list(await connection.fetch(sql, *args))
        finally:
            await connection.close()

    return asyncio.run(rows())


async def publish_grid(settings: Settings, grid: GridCreated) -> None:
    engine = make_engine(settings, "orgtree", "system")
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            await publish(session, grid)
    finally:
        await engine.dispose()


def test_a_new_district_and_its_grid_reach_every_service_before_the_flow_is_at_rest(
    settings: Settings, server_env: dict[str, str]
) -> None:
    redcell(server_env, "migrate", "--bootstrap")
    settle_earlier_events(server_env)  # other tests' rows, written with no relay running
    slug = f"settle-{uuid.uuid4().hex[:8]}"
    admin = f"{slug}-admin"
    create = ["tenant", "create", "--slug", slug, "--name", "静候区", "--admin-username", admin]
    redcell(server_env, *create, "--admin-password", PASSWORD)
    [tenant] = fetch(settings, "gateway", "SELECT id FROM tenant WHERE slug = $1", slug)
    grid_id = uuid.uuid4()
    # In orgtree's outbox before any relay runs: dispatch gets it only through the flow.
    grid = GridCreated(
        tenant_id=tenant["id"], grid_id=grid_id, parent_id=uuid.uuid4(), level="grid", party_group_id=None
    )
    asyncio.run(publish_grid(settings, grid))

    with EventFlow(settings, server_env) as flow:
        assert flow.pending() >= 2  # the district's provisioning and the grid
        assert flow.wait_at_rest(timeout_s=120)
        assert flow.pending() == 0

    roots = fetch(settings, "orgtree", "SELECT name FROM org_node WHERE tenant_id = $1", tenant["id"])
    assert len(roots) == 2  # the district's two roots: the administrative tree and the party tree
    grids = fetch(settings, "dispatch", "SELECT tenant_id FROM directory_grid WHERE grid_id = $1", grid_id)
    assert [g["tenant_id"] for g in grids] == [tenant["id"]]
