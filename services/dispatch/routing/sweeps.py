"""Scheduled sweeps of this area (see services/dispatch/schedule.py): offers whose time ran out."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text

from services.dispatch import SERVICE
from services.dispatch.routing.services import expire_offer
from shared.db.engine import make_engine, make_sessionmaker
from shared.scheduler import Job
from shared.settings import Settings
from shared.tenancy import tenant_scope

ACTOR = "system:dispatch-scheduler"
BATCH = 500

# Across districts, on the partial index ix_offer_open_expiry.
_DUE = text(
    "SELECT id, tenant_id FROM offer WHERE status = 'open' AND expires_at <= now() ORDER BY expires_at LIMIT :n"
)


async def due_offers(settings: Settings) -> list[tuple[UUID, UUID]]:
    """Open offers past their time, every district's: read on the system role, nothing else done with it."""
    engine = make_engine(settings, SERVICE, "system", pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(_DUE, {"n": BATCH})
            return [(row[0], row[1]) for row in rows]
    finally:
        await engine.dispose()


async def expire_offers(settings: Settings) -> int:
    """Each expiry in its own transaction, in its district's scope on the application role (RLS applies);
    the offer row is locked with SKIP LOCKED and re-checked, so two sweeps fire it once."""
    due = await due_offers(settings)
    if not due:
        return 0
    engine = make_engine(settings, SERVICE, "app", pool_size=1, max_overflow=0)
    sessions = make_sessionmaker(engine)
    fired = 0
    try:
        for offer_id, tenant_id in due:
            with tenant_scope(tenant_id):
                async with sessions() as session, session.begin():
                    fired += await expire_offer(session, offer_id, actor=ACTOR)
    finally:
        await engine.dispose()
    return fired


JOBS: list[Job] = [Job(f"{SERVICE}.offer_expiry", 2, expire_offers)]
