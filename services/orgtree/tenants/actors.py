"""Event handlers of the orgtree service for tenant lifecycle events."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.events import consumer
from services.orgtree.nodes.services import ensure_tenant_root
from shared import audit
from shared.contracts.tenants import TenantProvisioned


@consumer.on(TenantProvisioned)
async def create_district_root(session: AsyncSession, event: TenantProvisioned) -> None:
    """Every district starts with its administrative root; a redelivered event finds it and stops."""
    root = await ensure_tenant_root(session, event.name)
    await audit.record(
        session,
        "orgtree.tenant.prepared",
        subject_type="org_node",
        subject_id=str(root.id),
        detail={"slug": event.slug},
    )
