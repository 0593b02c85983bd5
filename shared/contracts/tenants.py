"""Events about tenants (districts), published by the gateway's tenant registry."""

from __future__ import annotations

from uuid import UUID

from shared.contracts.base import Event, event_type


@event_type
class TenantProvisioned(Event, frozen=True, kw_only=True):
    """A district was registered; every service prepares its own records for it, idempotently."""

    NAME = "gateway.TenantProvisioned"
    VERSION = 1

    tenant_id: UUID
    slug: str
    name: str
    parent_region: str | None = None
