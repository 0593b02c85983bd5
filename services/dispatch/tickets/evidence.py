"""Photos of a ticket's work (completion evidence), listed with the ticket.

The photos are filed in the documents service: the provider holding the order (or staff) uploads them there, on the
ticket as subject, and documents' ``EvidenceFiled`` gives dispatch its row (``evidence_actors.py``). The list shows
each row's ``documentId``; the photo itself comes from documents (thumbnail and download links), which decides who
reads it. Listing: whoever sees the ticket.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import PROVIDERS, STAFF
from services.dispatch.tickets.evidence_models import EvidenceView, TicketEvidence
from services.dispatch.tickets.history import shown_name
from services.dispatch.tickets.models import Ticket
from services.dispatch.tickets.services import visible_to
from shared.auth.principal import Principal
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.problems import missing
from shared.http.views import view


class EvidenceService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def _ticket(self, ticket_id: UUID) -> Ticket:
        ticket: Ticket | None = await self.session.scalar(
            visible_to(select(Ticket).where(Ticket.id == ticket_id), self.principal)
        )
        if ticket is None:
            raise missing("ticket")
        return ticket

    async def listed(self, ticket_id: UUID) -> list[TicketEvidence]:
        ticket = await self._ticket(ticket_id)
        query = select(TicketEvidence).where(TicketEvidence.ticket_id == ticket.id)
        return list(await self.session.scalars(query.order_by(TicketEvidence.uploaded_at, TicketEvidence.id)))


def evidence_view(row: TicketEvidence, viewer: Principal) -> EvidenceView:
    return view(EvidenceView, row, uploaded_by_name=shown_name(row.uploaded_by_name, str(row.uploaded_by), viewer))


class TicketEvidenceController(Controller):
    path = "/api/dispatch/tickets/{ticket_id:uuid}/evidence"
    tags = ["Closure"]
    guards = [requires_tenant, requires_role(*STAFF, *PROVIDERS)]
    dependencies = {"evidence": provide_service(EvidenceService)}

    @get(
        "/",
        operation_id="ListTicketEvidence",
        summary="The ticket's photos filed in documents, oldest first: each with its documentId (the photo itself: "
        "documents' thumbnail and download links)",
    )
    async def list_evidence(
        self, evidence: NamedDependency[EvidenceService], ticket_id: FromPath[UUID]
    ) -> list[EvidenceView]:
        return [evidence_view(row, evidence.principal) for row in await evidence.listed(ticket_id)]
