"""Alembic plumbing shared by every service: run from a service's ``migrations/env.py``.

Migrations run as the service's owner role; the URL comes from settings, never from alembic.ini.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.db.kernel import kernel_metadata
from shared.db.urls import database_url
from shared.settings import MAIN_CELL, Settings


def alembic_config(settings: Settings, service: str, migrations_dir: Path, cell: str = MAIN_CELL) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s_%%(rev)s")
    cfg.attributes["url"] = database_url(settings, service, "owner", cell=cell)
    cfg.attributes["service"] = service
    return cfg


def upgrade(
    settings: Settings, service: str, migrations_dir: Path, revision: str = "head", *, cell: str = MAIN_CELL
) -> None:
    command.upgrade(alembic_config(settings, service, migrations_dir, cell), revision)


def downgrade(settings: Settings, service: str, migrations_dir: Path, revision: str) -> None:
    command.downgrade(alembic_config(settings, service, migrations_dir), revision)


def _do_run(connection: Connection, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=[metadata, kernel_metadata],
        compare_type=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str, metadata: MetaData) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_do_run, metadata)
    await engine.dispose()


def run_env(metadata: MetaData) -> None:
    """Body of every service's ``env.py``."""
    url: Any = context.config.attributes["url"]
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=[metadata, kernel_metadata], literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is None:
        asyncio.run(_run_async(url, metadata))
    else:  # called from async code (tests): run in a fresh thread with its own loop
        import threading

        errors: list[BaseException] = []

        def target() -> None:
            try:
                asyncio.run(_run_async(url, metadata))
            except BaseException as exc:  # re-raised in the caller's thread
                errors.append(exc)

        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
        if errors:
            raise errors[0]
