"""Documents filed a photo of a ticket's work or of a fulfilled wish (``documents.EvidenceFiled``): dispatch keeps
its document id. A redelivered event finds its row (one per document and district) and does nothing; an event
about a ticket or wish this district does not have (RLS confines the look-up to the event's district) keeps nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.events import consumer
from services.dispatch.models import MicroWish
from services.dispatch.providers.models import Provider
from services.dispatch.tickets.evidence_models import TicketEvidence
from services.dispatch.tickets.history import ActorKind
from services.dispatch.tickets.models import Ticket
from shared.contracts.documents import EvidenceFiled
from shared.db.base import uuid7


async def _ticket_photo(session: AsyncSession, event: EvidenceFiled) -> None:
    ticket = await session.get(Ticket, event.subject_id)
    if ticket is None or event.filed_by is None:
        return
    # the order's provider (now, or when it was resolved) filed it; anyone else filing on a ticket is staff
    provider = None
    if ticket.provider_id is not None:
        provider = await session.scalar(
            select(Provider).where(Provider.id == ticket.provider_id, Provider.user_id == event.filed_by)
        )
    row = {
        "tenant_id": event.tenant_id,
        "id": uuid7(),
        "ticket_id": ticket.id,
        "document_id": event.document_id,
        "sha256": event.sha256,
        "content_type": event.content_type,
        "size_bytes": event.size_bytes,
        "uploaded_by": event.filed_by,
        "uploaded_by_name": provider.name if provider else None,  # events carry no names: a provider's is ours
        "uploaded_by_kind": ActorKind.PROVIDER if provider else ActorKind.STAFF,
        "uploaded_at": event.stored_at,
        "taken_at": event.taken_at,
    }
    await session.execute(
        pg_insert(TicketEvidence).values(row).on_conflict_do_nothing(constraint="uq_ticket_evidence_tenant_document")
    )


async def _wish_photo(session: AsyncSession, event: EvidenceFiled) -> None:
    wish = await session.get(MicroWish, event.subject_id, with_for_update=True)
    if wish is None:
        return
    # the latest photo filed is the wish's evidence (a redelivery writes the same again)
    wish.evidence_document_id, wish.evidence_sha256 = event.document_id, event.sha256


@consumer.on(EvidenceFiled)
async def evidence_filed(session: AsyncSession, event: EvidenceFiled) -> None:
    if event.subject_kind == "ticket":
        await _ticket_photo(session, event)
    elif event.subject_kind == "wish":
        await _wish_photo(session, event)
