"""Event handlers of the dispatch service for tenant lifecycle events."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.catalogue.services import seed_district
from services.dispatch.events import consumer
from shared import audit
from shared.contracts.tenants import TenantProvisioned


@consumer.on(TenantProvisioned)
async def prepare_district(session: AsyncSession, event: TenantProvisioned) -> None:
    """A new district gets its hotline settings, catalogue and ladder; a redelivery changes nothing."""
    if await seed_district(session):
        await audit.record(
            session,
            "dispatch.tenant.prepared",
            subject_type="dispatch_settings",
            subject_id=str(event.tenant_id),
            detail={"slug": event.slug},
        )
