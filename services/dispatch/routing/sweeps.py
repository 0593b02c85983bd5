"""Scheduled sweeps of this area (see services/dispatch/schedule.py): offers whose time ran out."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch import SERVICE
from services.dispatch.routing.offers import expire_offer
from shared.scheduler import Job, apply_each, due_across_districts
from shared.settings import Settings

ACTOR = "system:dispatch-scheduler"
BATCH = 500

# Across districts, on the partial index ix_offer_open_expiry.
_DUE = text(
    "SELECT id, tenant_id FROM offer WHERE status = 'open' AND expires_at <= now() ORDER BY expires_at LIMIT :n"
)


async def expire_offers(settings: Settings) -> int:
    """Each expiry in its own transaction, in its district's scope on the application role (RLS applies);
    the offer row is locked with SKIP LOCKED and re-checked, so two sweeps fire it once."""
    due = await due_across_districts(settings, SERVICE, _DUE.bindparams(n=BATCH))

    async def expire(session: AsyncSession, offer_id: UUID) -> int:
        return await expire_offer(session, offer_id, actor=ACTOR)

    return await apply_each(settings, SERVICE, [(row.tenant_id, row.id) for row in due], expire, actor=ACTOR)


JOBS: list[Job] = [Job(f"{SERVICE}.offer_expiry", 2, expire_offers)]
