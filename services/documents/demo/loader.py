"""``redcell demo load`` for documents: each demo district's registry of document types and retention classes.
Documents themselves arrive as the platform runs (generated from the other services' events) or are uploaded; a
second load changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

from services.documents.boards.catalogue import prepare_boards
from services.documents.generated.defaults import seed_templates
from services.documents.types.catalogue import seed_registry
from shared import audit
from shared.context import tenant_scope
from shared.db.cells import CellEngines, cell_sessionmaker
from shared.settings import Settings


async def load_demo(settings: Settings, tenants: list[dict[str, Any]]) -> list[str]:
    engine = CellEngines(settings, "documents", "app")  # each district on its own cell
    lines = []
    try:
        for tenant in tenants:
            tenant_id = uuid.UUID(str(tenant["id"]))
            with tenant_scope(tenant_id), audit.actor_scope("system:demo"):
                async with cell_sessionmaker(engine)() as session, session.begin():
                    registry = await seed_registry(session) | await seed_templates(session)
                    registry |= await prepare_boards(session, str(tenant["slug"]), str(tenant["name"]))
            lines.append(
                f"documents of {tenant['name']}: registry of types ({'loaded' if registry else 'already loaded'})"
            )
    finally:
        await engine.dispose()
    return lines
