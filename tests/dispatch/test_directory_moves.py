"""Orgtree moves reach dispatch (issue 17, item 5): a village moved to another street with its grids is one
``orgtree.UnitMoved``; once orgtree's events have reached dispatch, a ticket of a household in a moved grid is routed,
escalated and counted along the new chain, an open case held at the old street passes to the new one, a grid moved on
its own takes its new community's chain, and a replayed or older move, or a move in another district, changes
nothing here.

Orgtree runs in process (its API and outbox); its outbox rows reach dispatch's consumer in publication order, as the
relay and worker would (``relay``), until none is left to apply: the event flow at rest for these two districts.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

import services.dispatch.directory.actors
import services.dispatch.directory.moves  # noqa: F401 - registers the handlers on the consumer
from services.dispatch.events import consumer
from services.orgtree.app import MIGRATIONS as ORGTREE_MIGRATIONS
from services.orgtree.app import create_app as create_orgtree_app
from services.orgtree.nodes.services import ensure_tenant_root
from shared.context import tenant_scope
from shared.db.engine import make_engine, make_sessionmaker
from shared.settings import Settings
from tests.dispatch.builders import District, bearer, deliver, make_district, operator, staff
from tests.orgtree.builders import Slice, build_slice
from tests.orgtree.conftest import District as OrgDistrict
from tests.platform.plugin import prepare_database
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Litestar]
MOVED = "orgtree.UnitMoved"


@pytest.fixture(scope="module")
async def orgtree_db(settings: Settings) -> AsyncIterator[AsyncEngine]:
    await prepare_database(settings, "orgtree", ORGTREE_MIGRATIONS)
    engine = make_engine(settings, "orgtree", "app")
    yield engine
    await engine.dispose()


@pytest.fixture
async def org_client(settings: Settings, issuer: TestIssuer, orgtree_db: AsyncEngine) -> AsyncIterator[Client]:
    async with AsyncTestClient(create_orgtree_app(settings, verifier=issuer.verifier())) as test_client:
        yield test_client


@dataclass
class Both:
    """One district in orgtree (its tree built through orgtree's API) and in dispatch (its hotline seeded)."""

    hotline: District
    tree: Slice


async def both(name: str, dispatch_db: AsyncEngine, orgtree_db: AsyncEngine, org: Client, issuer: TestIssuer) -> Both:
    hotline = await make_district(dispatch_db, name, grids=0, require_pre_service=False)
    with tenant_scope(hotline.id):
        async with make_sessionmaker(orgtree_db)() as session, session.begin():
            root = await ensure_tenant_root(session, name)
    return Both(hotline, await build_slice(org, issuer, OrgDistrict(hotline.id, root)))


async def orgtree_outbox(settings: Settings, tenant: uuid.UUID) -> list[Any]:
    """The district's orgtree outbox rows in publication order (the relay's system role reads them)."""
    engine = make_engine(settings, "orgtree", "system")
    try:
        async with engine.connect() as connection:
            query = "SELECT id, event, payload, tenant_id, created_at FROM outbox_message WHERE tenant_id = :t"
            return list(await connection.execute(text(query + " ORDER BY seq"), {"t": tenant}))
    finally:
        await engine.dispose()


def envelope_of(row: Any) -> dict[str, Any]:
    payload = dict(row.payload)
    version = int(payload.pop("version", 1))
    return {
        "id": str(row.id),
        "event": row.event,
        "version": version,
        "tenant_id": str(row.tenant_id),
        "occurred_at": row.created_at.isoformat(),
        "payload": payload,
    }


async def relay(settings: Settings, tenant: uuid.UUID) -> int:
    """Apply every orgtree event of the district that dispatch subscribes to and has not applied yet, in order;
    returns how many were new (the inbox skips the rest). Called until it returns 0: the flow is at rest."""
    consumer._settings = settings
    applied = 0
    for row in await orgtree_outbox(settings, tenant):
        if row.event in consumer.events:
            applied += await consumer.handle(envelope_of(row))
    return applied


async def settle(settings: Settings, *districts: Both) -> None:
    for district in districts:
        while await relay(settings, district.hotline.id):
            pass


async def snapshot(district: District) -> dict[str, list[Any]]:
    """What a move may touch in the district, with the transaction that last wrote each row (``xmin``)."""

    async def read(session: AsyncSession) -> dict[str, list[Any]]:
        queries = {
            "grids": "SELECT xmin::text, grid_id, path, ancestors::text FROM directory_grid",
            "tickets": "SELECT xmin::text, id, grid_path, unit_id, level_rank FROM ticket",
            "history": "SELECT id, action FROM ticket_history",
            "moves": "SELECT xmin::text, unit_id, moved_at FROM directory_unit_move",
        }
        return {k: sorted(tuple(map(str, r)) for r in await session.execute(text(q))) for k, q in queries.items()}

    found: dict[str, list[Any]] = await district.run(read)
    return found


async def new_ticket(client: Client, issuer: TestIssuer, district: District, household: str) -> dict[str, Any]:
    """A call about ``household`` at the desk, routed by dispatch's worker (its TicketCreated applied)."""
    body = {
        "channel": "phone",
        "title": "楼道灯坏了",
        "categoryId": str(district.categories["citizen_life"]),
        "itemId": str(district.items["plumbing"]),
        "householdId": household,
    }
    response = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district))
    assert response.status_code == 201, response.text
    await deliver(district, "dispatch.TicketCreated", consumer.settings)
    ticket: dict[str, Any] = response.json()["ticket"]
    return ticket


async def escalate_to_street(client: Client, issuer: TestIssuer, district: District, ticket_id: str) -> Any:
    """Village meeting, member council, street supervision: the answer at the street rung."""
    for level in (1, 2, 3):
        body = {"toLevel": level, "reason": "本级无法化解"}
        response = await client.post(
            f"/api/dispatch/tickets/{ticket_id}/escalations", json=body, headers=staff(issuer, district)
        )
        assert response.status_code == 200, response.text
    return response.json()


async def offered_to(client: Client, issuer: TestIssuer, district: District, ticket_id: str) -> list[str]:
    offers = await client.get(f"/api/dispatch/tickets/{ticket_id}/offers", headers=operator(issuer, district))
    return [o["providerId"] for o in offers.json()]


async def streets(client: Client, headers: dict[str, str]) -> dict[str | None, tuple[str | None, int]]:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    params = {"from": today, "to": today, "by": "street"}
    report = await client.get("/api/dispatch/reports/rates", params=params, headers=headers)
    assert report.status_code == 200, report.text
    return {u["unitId"]: (u["name"], u["tickets"]) for u in report.json()["units"]}


@pytest.fixture
async def districts(
    issuer: TestIssuer, org_client: Client, dispatch_db: AsyncEngine, orgtree_db: AsyncEngine
) -> tuple[Both, Both]:
    """Two districts, each with one street of two villages and another street (``tests/orgtree/builders.py``)."""
    a = await both("龙湾区", dispatch_db, orgtree_db, org_client, issuer)
    return a, await both("瓯海区", dispatch_db, orgtree_db, org_client, issuer)


async def test_a_moved_village_takes_its_grids_tickets_and_reports_to_the_new_street(
    settings: Settings, issuer: TestIssuer, client: Client, districts: tuple[Both, Both]
) -> None:
    consumer._settings = settings
    a, b = districts
    tree, d = a.tree, a.hotline
    household = await tree.household("1组3号")
    await settle(settings, a, b)
    grid = uuid.UUID(tree.grid["id"])
    volunteer = await d.add_provider(grid=grid, name="林志红")

    # Before the move: a case escalated to the street answers to 瑶溪街道.
    held = await new_ticket(client, issuer, d, household["id"])
    assert await offered_to(client, issuer, d, held["id"]) == [str(volunteer.id)]
    assert (await escalate_to_street(client, issuer, d, held["id"]))["unitId"] == tree.street["id"]

    moved = await tree.admin.post(f"/nodes/{tree.village['id']}/move", {"newParentId": tree.other_street["id"]}, 200)
    assert moved["path"].startswith(tree.other_street["path"])
    events = [row for row in await orgtree_outbox(settings, d.id) if row.event == MOVED]
    assert len(events) == 1  # one event for the village and its grids
    payload = events[0].payload
    assert (payload["unit_id"], payload["old_path"], payload["new_path"]) == (
        tree.village["id"],
        tree.village["path"],
        moved["path"],
    )
    assert (payload["old_parent_id"], payload["new_parent_id"]) == (tree.street["id"], tree.other_street["id"])
    assert [u["id"] for u in payload["ancestors"]] == [tree.root["id"], tree.other_street["id"]]
    await settle(settings, a, b)

    # The directory follows: each grid of the village has its new path and chain.
    state = await snapshot(d)
    grids = {row[1]: row for row in state["grids"]}
    for moved_grid in (tree.grid, tree.grid2):
        row = grids[moved_grid["id"]]
        assert row[2] == moved["path"] + moved_grid["path"][len(tree.village["path"]) :]
        assert tree.other_street["id"] in row[3]
        assert tree.street["id"] not in row[3]
    assert grids[tree.far_grid["id"]][2] == tree.far_grid["path"]

    # The case held at the old street passes to the new one, and its history says why.
    view = (await client.get(f"/api/dispatch/tickets/{held['id']}", headers=operator(issuer, d))).json()
    assert (view["level"], view["unitId"]) == (3, tree.other_street["id"])
    history = (await client.get(f"/api/dispatch/tickets/{held['id']}/history", headers=operator(issuer, d))).json()
    [handed] = [h for h in history if h["action"] == "unit_moved"]
    assert handed["actorName"] == "系统（组织架构同步）"
    assert handed["details"]["fromUnitId"] == tree.street["id"]

    # A new call from the moved grid: offered in its grid, escalated along the new chain.
    fresh = await new_ticket(client, issuer, d, household["id"])
    assert await offered_to(client, issuer, d, fresh["id"]) == [str(volunteer.id)]
    assert (await escalate_to_street(client, issuer, d, fresh["id"]))["unitId"] == tree.other_street["id"]

    # The reports count both under the new street, for the district and for the new street's own cadres.
    assert await streets(client, operator(issuer, d)) == {tree.other_street["id"]: ("永中街道", 2)}
    new_cadre = bearer(issuer, d.id, ["community_cadre"], scope=tree.other_street["path"])
    assert await streets(client, new_cadre) == {tree.other_street["id"]: ("永中街道", 2)}
    old_cadre = bearer(issuer, d.id, ["community_cadre"], scope=tree.street["path"])
    assert await streets(client, old_cadre) == {}

    # The same move again under a new envelope id, and an older move of the village, change nothing.
    settled = await snapshot(d)
    settled_grids = {row[1]: row[2:] for row in settled["grids"]}
    again = envelope_of(events[0]) | {"id": str(uuid.uuid4())}
    assert await consumer.handle(again) is True
    older = again | {
        "id": str(uuid.uuid4()),
        "payload": payload
        | {
            "old_path": moved["path"],
            "new_path": tree.village["path"],
            "moved_at": (datetime.fromisoformat(payload["moved_at"]) - timedelta(hours=1)).isoformat(),
        },
    }
    assert await consumer.handle(older) is True
    assert await snapshot(d) == settled

    # The moved grids' own GridCreated, replayed under new ids with the paths from before the move, and one arriving
    # after the move for a grid dispatch had not heard of yet (the bulk lane runs behind): each lands where the move
    # put it.
    outbox = await orgtree_outbox(settings, d.id)
    created = {r.payload["grid_id"]: r for r in outbox if r.event == "orgtree.GridCreated"}

    async def forget_grid(session: AsyncSession) -> None:
        await session.execute(text("DELETE FROM directory_grid WHERE grid_id = :g"), {"g": uuid.UUID(tree.grid2["id"])})

    await d.run(forget_grid)
    for moved_grid in (tree.grid, tree.grid2):
        replayed = envelope_of(created[moved_grid["id"]]) | {"id": str(uuid.uuid4())}
        assert replayed["payload"]["path"] == moved_grid["path"]  # where it was made, before the move
        assert await consumer.handle(replayed) is True
    assert {row[1]: row[2:] for row in (await snapshot(d))["grids"]} == settled_grids
    settled = await snapshot(d)  # the replays rewrote those rows (to the same values)

    # A move in the other district reaches that district only.
    await b.tree.admin.post(f"/nodes/{b.tree.village['id']}/move", {"newParentId": b.tree.other_street["id"]}, 200)
    before = await snapshot(b.hotline)
    await settle(settings, a, b)
    assert await snapshot(d) == settled
    assert (await snapshot(b.hotline))["grids"] != before["grids"]

    # A grid moved on its own to another street's community: its chain is the new one whole.
    community = tree.far_grid["parentId"]
    alone = await tree.admin.post(f"/nodes/{tree.grid2['id']}/move", {"newParentId": community}, 200)
    await settle(settings, a, b)
    grids = {row[1]: row[2:] for row in (await snapshot(d))["grids"]}
    far_chain = grids[tree.far_grid["id"]][1]
    assert grids[tree.grid2["id"]] == (alone["path"], far_chain)
    assert grids[tree.grid["id"]] == settled_grids[tree.grid["id"]]
