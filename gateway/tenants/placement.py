"""The registry of database cells: which PostgreSQL cluster holds each district's rows of each component.

Every district has a row per component with a database (the gateway's own rows stay on ``main``, with the
platform's). The rows are mirrored into Redis with every change, a new district's before its provisioning commits
(so its first event and request find its cells), and by a sweep (``shared/db/cells.py`` reads the mirror). Until
a process has read the mirror once, it answers 503 and retries messages rather than guess a cell; a district the
mirror does not hold has no rows anywhere yet, and is looked for on ``main``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

import redis.asyncio as aioredis
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.tenants.models import TenantPlacement
from shared.components import placed
from shared.db.cells import LOADED_FIELD, PLACEMENT_CHANNEL, PLACEMENT_KEY, Placement
from shared.db.engine import make_engine, make_sessionmaker
from shared.http.problems import ProblemError
from shared.settings import MAIN_CELL, Settings


def choose_cells(settings: Settings, cell: str | None, per_component: dict[str, str] | None = None) -> dict[str, str]:
    """The cell of each component for a new district: ``cell`` for all (``main`` by default), ``per_component``
    overriding; an unknown cell or component is a 422 naming it."""
    components = placed()
    chosen = dict.fromkeys(components, cell or MAIN_CELL)
    for component, name in (per_component or {}).items():
        if component not in components:
            detail = f"not a component with a database ({', '.join(components)})"
            raise ProblemError(
                422, "unknown component", errors=[{"field": f"body.cells.{component}", "message": detail}]
            )
        chosen[component] = name
    for component, name in chosen.items():
        if name not in settings.cell_names:
            field = "body.cell" if (per_component or {}).get(component) is None else f"body.cells.{component}"
            detail = f"no database cell named {name!r} (known: {', '.join(settings.cell_names)})"
            raise ProblemError(422, "unknown database cell", errors=[{"field": field, "message": detail}])
    return chosen


async def place(session: AsyncSession, tenant_id: uuid.UUID, cells: dict[str, str]) -> None:
    """Record where a new district's rows live (in the provisioning transaction); existing rows are kept."""
    rows = [{"tenant_id": tenant_id, "component": c, "cell": cell, "paused": False} for c, cell in cells.items()]
    if rows:
        await session.execute(pg_insert(TenantPlacement).values(rows).on_conflict_do_nothing())


async def placements(session: AsyncSession) -> dict[uuid.UUID, Placement]:
    """Every district's placement, as the services read it."""
    cells: dict[uuid.UUID, dict[str, str]] = {}
    paused: dict[uuid.UUID, set[str]] = {}
    for row in (await session.execute(select(TenantPlacement))).scalars():
        cells.setdefault(row.tenant_id, {})[row.component] = row.cell
        if row.paused:
            paused.setdefault(row.tenant_id, set()).add(row.component)
    return {
        tenant: Placement({c: cell for c, cell in by.items() if cell != MAIN_CELL}, frozenset(paused.get(tenant, ())))
        for tenant, by in cells.items()
    }


async def mirror(session: AsyncSession, settings: Settings) -> int:
    """Write every district's placement to Redis and announce it; returns how many were mirrored. Fields are only
    ever set (a district is retired, never deleted), so a mirror that races another leaves no district out."""
    if not settings.cells:  # one cluster: every process reads main without asking
        return 0
    known = await placements(session)
    client = aioredis.Redis.from_url(settings.redis.url, socket_timeout=5, socket_connect_timeout=5)
    try:
        fields = {str(tenant): placement.encode() for tenant, placement in known.items()}
        fields[LOADED_FIELD] = datetime.now().astimezone().isoformat()
        async with client.pipeline(transaction=True) as pipe:
            pipe.hset(PLACEMENT_KEY, mapping=cast(Any, fields))
            pipe.publish(PLACEMENT_CHANNEL, "changed")
            await pipe.execute()
    except aioredis.RedisError as exc:  # nothing is placed where the services could not find it
        raise ProblemError(503, "the database cells' registry cannot be mirrored to Redis; try again") from exc
    finally:
        await client.aclose()
    return len(known)


MIRROR_INTERVAL_S = 10.0


async def mirror_sweep(settings: Settings) -> int:
    """The registry mirrored again, in case Redis lost it (restarted without its data) or a change's own mirror
    failed: until then the services answer 503 for districts they cannot place."""
    engine = make_engine(settings, "gateway", "system", pool_size=1, max_overflow=0)
    try:
        async with make_sessionmaker(engine)() as session:
            return await mirror(session, settings)
    finally:
        await engine.dispose()
