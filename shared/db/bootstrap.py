"""Create a service's database and its three roles (dev, test, CI, or a platform admin's one-off job).

In production the database and roles are usually created by the platform team (or CloudNativePG);
`redcell migrate` then only runs the service's migrations as the owner role.
"""

from __future__ import annotations

import asyncpg

from shared.db.urls import admin_url, database_name, plain_dsn, role_name
from shared.settings import MAIN_CELL, Settings


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


async def ensure_service_database(settings: Settings, service: str, cell: str = MAIN_CELL) -> None:
    """The database of ``service`` and its roles on the cluster of ``cell``."""
    db = database_name(service)
    pg = settings.cell(cell)
    owner, app, system = (role_name(service, r) for r in ("owner", "app", "system"))
    conn = await asyncpg.connect(plain_dsn(admin_url(settings, cell=cell)))
    try:
        attributes = {
            owner: "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE",
            app: "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE",
            system: "LOGIN NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE",
        }
        for role, attrs in attributes.items():
            exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
            verb = "ALTER" if exists else "CREATE"
            secret = pg.passwords.get(role)
            password = f" PASSWORD {_quote_literal(secret.get_secret_value())}" if secret else ""
            await conn.execute(f"{verb} ROLE {_quote_ident(role)} {attrs}{password}")
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", db):
            await conn.execute(
                f"CREATE DATABASE {_quote_ident(db)} OWNER {_quote_ident(owner)} ENCODING 'UTF8' TEMPLATE template0"
            )
    finally:
        await conn.close()

    conn = await asyncpg.connect(plain_dsn(admin_url(settings, db, cell=cell)))
    try:
        o, a, s = (_quote_ident(r) for r in (owner, app, system))
        await conn.execute(
            f"""
            REVOKE ALL ON DATABASE {_quote_ident(db)} FROM PUBLIC;
            GRANT CONNECT ON DATABASE {_quote_ident(db)} TO {o}, {a}, {s};
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            ALTER SCHEMA public OWNER TO {o};
            GRANT USAGE ON SCHEMA public TO {a}, {s};
            ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public
              GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}, {s};
            ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public
              GRANT USAGE, SELECT ON SEQUENCES TO {a}, {s};
            """
        )
    finally:
        await conn.close()


async def drop_service_database(settings: Settings, service: str, cell: str = MAIN_CELL) -> None:
    conn = await asyncpg.connect(plain_dsn(admin_url(settings, cell=cell)))
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {_quote_ident(database_name(service))} WITH (FORCE)")
    finally:
        await conn.close()
