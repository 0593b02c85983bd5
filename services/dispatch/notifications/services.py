"""The delivery log as operators read it, and the district's webhook key (DSP-18)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Notification
from services.dispatch.notifications.channels import webhook_secret
from services.dispatch.tickets.services import TicketService
from shared import audit
from shared.context import require_tenant
from shared.db.repository import Keyset, Repository
from shared.settings import Settings

# Newest first; a cursor reads "<created_at in ISO 8601>_<id>".
NEWEST_FIRST = Keyset(
    Notification.created_at, Notification.id, descending=True, separator="_", parse=datetime.fromisoformat
)


class NotificationRepository(Repository[Notification]):
    model_type = Notification
    noun = "notification"


class NotificationService:
    def __init__(self, session: AsyncSession, tickets: TicketService, repository: NotificationRepository) -> None:
        self.session = session
        self.tickets = tickets
        self.repository = repository

    async def log(
        self, *, ticket_id: UUID | None, status: str | None, after: str | None, limit: int
    ) -> tuple[list[Notification], str | None]:
        """A page, newest first, and the next page's cursor; of one ticket the caller may see (404 otherwise), or
        of the whole district. A busy district's log has a row per message: it is read a page at a time."""
        query = select(Notification)
        if ticket_id is not None:
            ticket = await self.tickets.get(ticket_id)
            query = query.where(Notification.ticket_id == ticket.id)
        if status is not None:
            query = query.where(Notification.status == status)
        return await self.repository.page(query, NEWEST_FIRST, after=after, limit=limit)

    async def webhook_secret(self, settings: Settings) -> bytes:
        """The district's webhook signing key; every read is audited."""
        secret = webhook_secret(settings, require_tenant())
        tenant = str(require_tenant())
        await audit.record(
            self.session, "dispatch.webhook_secret.read", subject_type="dispatch_settings", subject_id=tenant
        )
        return secret
