"""Event handlers of the documents service for tenant lifecycle events."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.boards.catalogue import prepare_boards
from services.documents.events import consumer
from services.documents.generated.defaults import seed_templates
from services.documents.types.catalogue import seed_registry
from shared import audit
from shared.contracts.tenants import TenantProvisioned


@consumer.on(TenantProvisioned)
async def prepare_district(session: AsyncSession, event: TenantProvisioned) -> None:
    """A new district gets the seeds' document types, retention classes and templates; a redelivery changes nothing."""
    boards = await prepare_boards(session, event.slug, event.name)  # and its slug, for the boards' public pages
    if await seed_registry(session) | await seed_templates(session) | boards:
        await audit.record(
            session,
            "documents.tenant.prepared",
            subject_type="document_registry",
            subject_id=str(event.tenant_id),
            detail={"slug": event.slug},
        )
