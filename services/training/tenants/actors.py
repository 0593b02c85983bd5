"""Event handlers of the training service for tenant lifecycle events."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.training.credits.rules import seed_rules
from services.training.events import consumer
from services.training.points.defaults import seed_points_categories
from services.training.programmes.catalogue import seed_catalogue
from services.training.ratings.defaults import seed_ratings
from shared import audit
from shared.contracts.tenants import TenantProvisioned


@consumer.on(TenantProvisioned)
async def prepare_district(session: AsyncSession, event: TenantProvisioned) -> None:
    """A new district gets the seeds' programme catalogue; a redelivery changes nothing."""
    if (
        await seed_catalogue(session)
        | await seed_points_categories(session)
        | await seed_rules(session)
        | await seed_ratings(session)
    ):
        await audit.record(
            session,
            "training.tenant.prepared",
            subject_type="programme_catalogue",
            subject_id=str(event.tenant_id),
            detail={"slug": event.slug},
        )
