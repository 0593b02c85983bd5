"""Event handlers of the dispatch service (routing): a new or reclassified ticket is routed off the request path."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.events import consumer
from services.dispatch.notifications.actors import hand_over
from services.dispatch.notifications.queue import collecting
from services.dispatch.routing.offers import route_ticket
from shared.contracts.dispatch import TicketCreated


@consumer.on(TicketCreated)
async def route_created_ticket(session: AsyncSession, event: TicketCreated) -> None:
    """Replays are harmless: a ticket already out on offer, signed for or closed is left as it is. The offers'
    messages go out as soon as the routing commits (volunteers answer offers against a time-out)."""
    with collecting() as queued:
        ticket, _ = await route_ticket(session, event.ticket_id)
    await hand_over(session, event.tenant_id, queued)  # its messages are rendered from ``ticket``, held till here
    del ticket
