"""The registry of database cells: a new district is placed on the cell chosen for it (``main`` by default), an
unknown cell or component is refused with nothing stored, every process reads the placement from the mirror in
Redis (a process that has never read it places no district), and a move that cannot be made changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.models import Tenant
from gateway.proxy.settings import ProxySettings
from gateway.tenants.models import TenantPlacement
from gateway.tenants.moves import MoveError, move_district
from shared.components import placed
from shared.db.cells import PlacementUnknownError, PlacementView
from shared.settings import MAIN_CELL, RedisSettings, Settings
from tests.gateway.support import PASSWORD, bearer, is_problem, new_operator, tokens, unique
from tests.platform.plugin import SECOND_CELL

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
def two_cells(gateway_settings: Settings, cell_settings: Settings) -> Settings:
    """The unit gateway's settings with the session's second cluster as a database cell."""
    return gateway_settings.model_copy(update={"cells": cell_settings.cells})


@pytest.fixture
async def cells_client(two_cells: Settings) -> AsyncIterator[AsyncTestClient[Any]]:
    app = create_app(two_cells, ProxySettings(upstreams={}, anonymous_rate_per_minute=1_000_000))
    async with AsyncTestClient(app) as test_client:
        yield test_client


async def placement_rows(sessions: Sessions, tenant_id: str) -> dict[str, str]:
    async with sessions() as session:
        rows = await session.scalars(select(TenantPlacement).where(TenantPlacement.tenant_id == uuid.UUID(tenant_id)))
        return {row.component: row.cell for row in rows}


def body(slug: str, **extra: object) -> dict[str, object]:
    return {"slug": slug, "name": "瓯海区", "adminUsername": f"{slug}-admin", "adminPassword": PASSWORD, **extra}


async def test_a_district_is_placed_on_the_chosen_cell_and_every_process_reads_it(
    cells_client: AsyncTestClient[Any], system_sessions: Sessions, two_cells: Settings
) -> None:
    operator = bearer((await tokens(cells_client, await new_operator(system_sessions)))["accessToken"])
    on_main = (await cells_client.post("/platform/tenants", headers=operator, json=body(unique("main")))).json()
    on_east = await cells_client.post(
        "/platform/tenants", headers=operator, json=body(unique("east"), cell=SECOND_CELL, cells={"orgtree": "main"})
    )
    assert on_east.status_code == 201, on_east.text
    east = on_east.json()
    assert await placement_rows(system_sessions, on_main["id"]) == dict.fromkeys(placed(), MAIN_CELL)
    assert await placement_rows(system_sessions, east["id"]) == {
        **dict.fromkeys(placed(), SECOND_CELL),
        "orgtree": MAIN_CELL,
    }

    view = PlacementView(two_cells)
    try:
        assert view.cell(uuid.UUID(east["id"]), "dispatch") == SECOND_CELL
        assert view.cell(uuid.UUID(east["id"]), "orgtree") == MAIN_CELL
        assert view.cell(uuid.UUID(on_main["id"]), "dispatch") == MAIN_CELL
        assert not view.paused(uuid.UUID(east["id"]), "dispatch")
        # mirrored before its provisioning committed: a district the mirror lacks has no rows yet, or does not exist
        assert view.cell(uuid.uuid4(), "dispatch") == MAIN_CELL
        assert view.cell(None, "dispatch") == MAIN_CELL  # platform-wide work lives on main
    finally:
        view.stop()


def test_a_process_that_has_never_read_the_registry_places_no_district(two_cells: Settings) -> None:
    """A Redis that lost the mirror (restarted empty) before this process read it: no cell is guessed."""
    empty = two_cells.model_copy(update={"redis": RedisSettings(url=two_cells.redis.url.rsplit("/", 1)[0] + "/9")})
    view = PlacementView(empty)
    try:
        with pytest.raises(PlacementUnknownError):  # its rows could be anywhere
            view.cell(uuid.uuid4(), "dispatch")
        assert view.cell(None, "dispatch") == MAIN_CELL
        assert view.cell(uuid.uuid4(), "gateway") == MAIN_CELL  # the gateway's rows are all on main
    finally:
        view.stop()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"cell": "nowhere"}, "body.cell"),
        ({"cells": {"dispatch": "nowhere"}}, "body.cells.dispatch"),
        ({"cells": {"gateway": SECOND_CELL}}, "body.cells.gateway"),  # the registry itself stays on main
        ({"cell": 5}, "body.cell"),
        ({"cell": "East Cell"}, "body.cell"),
    ],
)
async def test_an_unknown_cell_or_component_is_refused_and_nothing_is_stored(
    cells_client: AsyncTestClient[Any], system_sessions: Sessions, extra: dict[str, object], field: str
) -> None:
    operator = bearer((await tokens(cells_client, await new_operator(system_sessions)))["accessToken"])
    slug = unique("refused")
    problem = is_problem(await cells_client.post("/platform/tenants", headers=operator, json=body(slug, **extra)), 422)
    assert field in {error["field"] for error in problem.get("errors", [])}, problem
    async with system_sessions() as session:
        assert await session.scalar(select(Tenant).where(Tenant.slug == slug)) is None


@pytest.mark.parametrize(
    "case",
    [
        ("no-such-district", "orgtree", SECOND_CELL, "no district"),
        (None, "orgtree", "nowhere", "no database cell named 'nowhere'"),
        (None, "gateway", SECOND_CELL, "not a component with rows of its own"),  # the registry stays on main
        (None, "dispatch", SECOND_CELL, "already being moved"),  # a second move while the first holds it
    ],
)
async def test_a_move_that_cannot_be_made_is_refused_and_changes_nothing(
    cells_client: AsyncTestClient[Any],
    system_sessions: Sessions,
    two_cells: Settings,
    case: tuple[str | None, str, str, str],
) -> None:
    slug, component, cell, reason = case  # the district (None: a fresh one), what to move, where, the refusal
    operator = bearer((await tokens(cells_client, await new_operator(system_sessions)))["accessToken"])
    made = (await cells_client.post("/platform/tenants", headers=operator, json=body(unique("stay")))).json()
    district = uuid.UUID(made["id"])
    moving = reason == "already being moved"
    if moving:
        async with system_sessions() as session, session.begin():
            await session.execute(
                update(TenantPlacement)
                .where(TenantPlacement.tenant_id == district, TenantPlacement.component == component)
                .values(paused=True)
            )
    with pytest.raises(MoveError, match=reason):
        await move_district(two_cells, system_sessions, slug or made["slug"], component, cell, settle_s=0)
    assert await placement_rows(system_sessions, made["id"]) == dict.fromkeys(placed(), MAIN_CELL)
    async with system_sessions() as session:
        paused = set(
            await session.scalars(
                select(TenantPlacement.component).where(
                    TenantPlacement.tenant_id == district, TenantPlacement.paused.is_(True)
                )
            )
        )
    assert paused == ({component} if moving else set())
