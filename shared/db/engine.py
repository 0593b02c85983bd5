from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from shared.db.urls import database_url
from shared.settings import DbRole, Settings
from shared.tenancy.hook import install_tenant_hook


def make_engine(settings: Settings, service: str, role: DbRole = "app", **kwargs: object) -> AsyncEngine:
    install_tenant_hook()
    options: dict[str, object] = {
        "pool_size": settings.pg.pool_size,
        "max_overflow": settings.pg.max_overflow,
        "pool_pre_ping": False,
        "connect_args": {
            "timeout": settings.pg.connect_timeout_s,
            "server_settings": {"application_name": f"redcell-{service}-{role}"},
        },
    }
    options.update(kwargs)
    return create_async_engine(database_url(settings, service, role), **options)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
