"""Every component's migrations: upgrade, downgrade and upgrade again, and the models match the schema."""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import create_async_engine

from shared.components import components
from shared.db.alembic_env import downgrade, upgrade
from shared.db.bootstrap import ensure_service_database
from shared.db.kernel import kernel_metadata
from shared.db.urls import admin_url, database_url, plain_dsn
from shared.settings import Settings

COMPONENTS = {name: component.package for name, component in components().items() if component.database}


async def scratch_database(settings: Settings, component: str) -> Settings:
    """A throwaway database owned by the component's owner role, so downgrades disturb no other test."""
    await ensure_service_database(settings, component)
    name = f"redcell_migcheck_{component}"
    conn = await asyncpg.connect(plain_dsn(admin_url(settings)))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}" OWNER "{component}_owner"')
    finally:
        await conn.close()
    owner_url = database_url(settings, component, "owner").rsplit("/", 1)[0] + f"/{name}"
    urls = {**settings.pg.urls, f"{component}_owner": SecretStr(owner_url)}
    return settings.model_copy(update={"pg": settings.pg.model_copy(update={"urls": urls})})


def _diff(sync_conn: Any, metadata: Any) -> list[Any]:
    context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
    return list(compare_metadata(context, [metadata, kernel_metadata]))


@pytest.mark.parametrize("component", sorted(COMPONENTS))
async def test_migrations_round_trip_and_match_the_models(settings: Settings, component: str) -> None:
    package = COMPONENTS[component]
    migrations = Path(importlib.import_module(package).__file__ or "").parent / "migrations"
    metadata = importlib.import_module(f"{package}.models").Base.metadata
    scratch = await scratch_database(settings, component)
    await asyncio.to_thread(upgrade, scratch, component, migrations)
    await asyncio.to_thread(downgrade, scratch, component, migrations, "base")
    await asyncio.to_thread(upgrade, scratch, component, migrations)
    engine = create_async_engine(database_url(scratch, component, "owner"))
    try:
        async with engine.connect() as conn:
            differences = await conn.run_sync(_diff, metadata)
    finally:
        await engine.dispose()
    assert differences == [], "\n".join(map(str, differences))
