"""Fitness checks over PostgreSQL's catalogue: tenancy is enforced by the database for every table."""

from __future__ import annotations

import asyncpg

from shared.db.urls import admin_url, database_name, plain_dsn, role_name
from shared.settings import Settings


async def rls_violations(settings: Settings, component: str) -> list[str]:
    """Every way ``component``'s database falls short of the tenancy rules; empty when it complies."""
    conn = await asyncpg.connect(plain_dsn(admin_url(settings, database_name(component))))
    try:
        problems: list[str] = []
        tables = await conn.fetch(
            """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
                   (SELECT bool_and(p.polqual IS NOT NULL AND (p.polwithcheck IS NOT NULL OR p.polcmd = 'r'))
                      FROM pg_policy p WHERE p.polrelid = c.oid) AS using_and_check,
                   pg_get_userbyid(c.relowner) AS owner
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
              AND EXISTS (SELECT 1 FROM pg_attribute a
                          WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
            """
        )
        for t in tables:
            name = t["relname"]
            if not t["relrowsecurity"]:
                problems.append(f"{name}: row-level security not enabled")
            if not t["relforcerowsecurity"]:
                problems.append(f"{name}: row-level security not forced")
            if t["policies"] == 0:
                problems.append(f"{name}: no policy")
            elif not t["using_and_check"]:
                problems.append(f"{name}: a policy lacks USING or WITH CHECK")
        app = role_name(component, "app")
        role = await conn.fetchrow("SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = $1", app)
        if role is None:
            problems.append(f"role {app} missing")
        elif role["rolbypassrls"] or role["rolsuper"]:
            problems.append(f"role {app} can bypass row-level security")
        owned = await conn.fetch(
            """SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = $1""",
            app,
        )
        problems += [f"{r['relname']}: owned by the application role" for r in owned]
        if not tables:
            problems.append("no tenant tables found (is the database migrated?)")
        return problems
    finally:
        await conn.close()
