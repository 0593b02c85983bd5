"""The delivery log as operators read it, and the district's webhook key (DSP-18)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Notification
from services.dispatch.notifications.channels import webhook_secret
from services.dispatch.tickets.services import TicketService
from shared import audit
from shared.context import require_tenant
from shared.settings import Settings


class NotificationService:
    def __init__(self, session: AsyncSession, tickets: TicketService) -> None:
        self.session = session
        self.tickets = tickets

    async def log(self, *, ticket_id: UUID | None, status: str | None, limit: int) -> list[Notification]:
        """Newest first; of one ticket the caller may see (404 otherwise), or of the whole district."""
        query = select(Notification)
        if ticket_id is not None:
            ticket = await self.tickets.get(ticket_id)
            query = query.where(Notification.ticket_id == ticket.id)
        if status is not None:
            query = query.where(Notification.status == status)
        query = query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
        return list(await self.session.scalars(query))

    async def webhook_secret(self, settings: Settings) -> bytes:
        """The district's webhook signing key; every read is audited."""
        secret = webhook_secret(settings, require_tenant())
        tenant = str(require_tenant())
        await audit.record(
            self.session, "dispatch.webhook_secret.read", subject_type="dispatch_settings", subject_id=tenant
        )
        return secret
