"""Connection URLs for a service's database and its three roles.

Each service has its own database ``redcell_<service>`` and roles:
``<service>_owner`` (owns tables, runs migrations), ``<service>_app`` (the API and workers; not owner,
NOBYPASSRLS) and ``<service>_system`` (explicit cross-tenant jobs such as the outbox relay).
"""

from __future__ import annotations

from urllib.parse import quote

from shared.settings import MAIN_CELL, DbRole, Settings


def database_name(service: str) -> str:
    return f"redcell_{service}"


def role_name(service: str, role: DbRole) -> str:
    return f"{service}_{role}"


def database_url(
    settings: Settings, service: str, role: DbRole, *, driver: str = "asyncpg", cell: str = MAIN_CELL
) -> str:
    pg = settings.cell(cell)
    override = pg.urls.get(f"{service}_{role}")
    if override is not None:
        return override.get_secret_value()
    user = role_name(service, role)
    secret = pg.passwords.get(user)
    auth = quote(user) + (":" + quote(secret.get_secret_value(), safe="") if secret else "")
    return f"postgresql+{driver}://{auth}@{pg.host}:{pg.port}/{database_name(service)}"


def admin_url(settings: Settings, database: str = "postgres", *, driver: str = "asyncpg", cell: str = MAIN_CELL) -> str:
    pg = settings.cell(cell)
    pw = pg.admin_password.get_secret_value()
    auth = quote(pg.admin_user) + (":" + quote(pw, safe="") if pw else "")
    return f"postgresql+{driver}://{auth}@{pg.host}:{pg.port}/{database}"


def plain_dsn(sqlalchemy_url: str) -> str:
    """The same URL without the SQLAlchemy driver suffix, for asyncpg.connect()."""
    scheme, rest = sqlalchemy_url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgresql") else sqlalchemy_url
