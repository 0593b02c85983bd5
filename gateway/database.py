"""The gateway's own database: created with its roles, then migrated (``redcell migrate --bootstrap gateway``)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from shared.db.alembic_env import upgrade
from shared.db.bootstrap import ensure_service_database
from shared.settings import Settings

SERVICE = "gateway"
MIGRATIONS = Path(__file__).parent / "migrations"


async def ensure_gateway_database(settings: Settings, *, bootstrap: bool = True) -> None:
    """Create the database and its owner/app/system roles (``bootstrap``; needs the PostgreSQL admin
    user, so dev, test and CI only), then run the gateway's migrations to head as the owner role."""
    if bootstrap:
        await ensure_service_database(settings, SERVICE)
    # alembic's env runs its own event loop; keep it off ours
    await asyncio.to_thread(upgrade, settings, SERVICE, MIGRATIONS)
