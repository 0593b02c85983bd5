"""``redcell demo load`` for training: each demo district's programme catalogue. Its members arrive from
orgtree's events once the worker runs."""

from __future__ import annotations

import uuid
from typing import Any

from services.training.programmes.catalogue import seed_catalogue
from shared import audit
from shared.context import tenant_scope
from shared.db.engine import make_engine, make_sessionmaker
from shared.settings import Settings


async def load_demo(settings: Settings, tenants: list[dict[str, Any]]) -> list[str]:
    engine = make_engine(settings, "training", "app")
    lines = []
    try:
        for tenant in tenants:
            tenant_id = uuid.UUID(str(tenant["id"]))
            with tenant_scope(tenant_id), audit.actor_scope("system:demo"):
                async with make_sessionmaker(engine)() as session, session.begin():
                    added = await seed_catalogue(session)
            lines.append(
                f"training of {tenant['name']}: programme catalogue ({'loaded' if added else 'already loaded'})"
            )
    finally:
        await engine.dispose()
    return lines
