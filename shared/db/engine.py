from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from shared.db.urls import database_url
from shared.settings import MAIN_CELL, DbRole, Settings
from shared.tenancy.hook import TenantBindingConnection, install_tenant_hook


def make_engine(
    settings: Settings, service: str, role: DbRole = "app", *, cell: str = MAIN_CELL, **kwargs: object
) -> AsyncEngine:
    """An engine on ``service``'s database in the cluster of ``cell`` (shared/db/cells.py routes by district)."""
    install_tenant_hook()
    options: dict[str, object] = {
        "pool_size": settings.pg.pool_size,
        "max_overflow": settings.pg.max_overflow,
        "pool_pre_ping": False,
        "connect_args": {
            "timeout": settings.pg.connect_timeout_s,
            "server_settings": {"application_name": f"redcell-{service}-{role}"},
            "connection_class": TenantBindingConnection,  # the tenant rides on the BEGIN (shared/tenancy/hook.py)
        },
    }
    options.update(kwargs)
    engine = create_async_engine(database_url(settings, service, role, cell=cell), **options)
    event.listen(engine.sync_engine, "checkout", _refuse_closed)
    return engine


def _refuse_closed(dbapi_connection: Any, record: object, proxy: object) -> None:
    """A pooled connection the server has closed (PostgreSQL restarted, the backend terminated) is replaced as it
    is checked out, so the first transaction after a restart does not fail on it. asyncpg notices the server's
    goodbye as it arrives, so this costs no round trip (``pool_pre_ping`` would cost one per transaction); the pool
    retries the checkout with a new connection when this raises."""
    driver = getattr(dbapi_connection, "_connection", None)
    if driver is not None and driver.is_closed():
        raise DisconnectionError("the database closed this pooled connection")


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
