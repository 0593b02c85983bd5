"""Photos of a ticket's work (completion evidence): uploaded by the provider who holds the order while it is theirs
(signed for or on site) or by hotline staff, listed with the ticket, and served back through the API.

- The body is the raw photo (JPEG or PNG, at most 10 MiB), streamed into the object store as wishes' evidence is;
  its type is read from its bytes (``shared.storage``), never from the client's claim.
- Who may add one: the provider holding the order while it is theirs (once resolved, closed or handed back: 409 for
  the one who held it, 404 for any other provider, as for their tasks); staff who see the ticket, until it is
  closed, cancelled or merged. At most ``MAX_PHOTOS`` per ticket. The same photo sent twice (a form submitted again)
  is kept once: the answer is the stored one, 200 instead of 201.
- The upload runs before the ticket row is locked (a slow phone must not hold up the desk); the rights are checked
  again under the lock, and a photo that lost the race is removed from the store.
- Photos come back through the API (``GET .../evidence/{id}``), not as presigned links: the object store is not
  reachable from district intranets, the platform is. Staff who see the ticket and the provider holding it read them.
"""

from __future__ import annotations

from collections.abc import AsyncIterable
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Stream
from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import PROVIDERS, STAFF
from services.dispatch.providers.models import Provider
from services.dispatch.tickets.evidence_models import EvidenceView, TicketEvidence
from services.dispatch.tickets.history import name_of, shown_name
from services.dispatch.tickets.models import Ticket, TicketStatus
from services.dispatch.tickets.services import visible_to
from services.dispatch.tickets.transitions import LABELS
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.db.base import uuid7
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.problems import ProblemError, conflict, missing
from shared.http.views import view
from shared.storage import ObjectStore, ObjectTooLargeError, tenant_key

S = TicketStatus
EVIDENCE_KIND = "ticket-evidence"
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {"image/jpeg": "jpg", "image/png": "png"}
MAX_PHOTOS = 10
HELD = (S.ASSIGNED, S.ON_SITE)  # the order is the provider's (routing/candidates.py SIGNED)
FINISHED = (S.CLOSED, S.CANCELLED, S.MERGED)  # staff add nothing more

AnyRequest = Request[Any, Any, Any]


def not_a_photo() -> ProblemError:
    return ProblemError(
        422,
        "the evidence must be a JPEG or PNG photo",
        errors=[{"field": "body", "message": "not a JPEG or PNG image"}],
    )


class EvidenceService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.staff = principal.has_role(*STAFF)

    async def _ticket(self, ticket_id: UUID, *, for_update: bool = False) -> Ticket:
        query = visible_to(select(Ticket).where(Ticket.id == ticket_id), self.principal)
        ticket: Ticket | None = await self.session.scalar(query.with_for_update() if for_update else query)
        if ticket is None:
            raise missing("ticket")
        return ticket

    async def _holds(self, ticket: Ticket) -> bool:
        """Whether one of the caller's provider entries is the ticket's provider (now or when it was resolved)."""
        if ticket.provider_id is None:
            return False
        mine = exists().where(Provider.id == ticket.provider_id, Provider.user_id == self.principal.user_id)
        return bool(await self.session.scalar(select(mine)))

    async def _may_add(self, ticket: Ticket) -> None:
        if self.staff:
            if ticket.status in FINISHED:
                raise conflict(f"photos are added until the ticket is closed (now: {LABELS[ticket.status]})")
            return
        if not await self._holds(ticket):
            raise missing("ticket")  # an offer seen, a ticket handed back: not theirs to add to
        if ticket.status not in HELD:
            raise conflict(
                f"photos are added while the order is yours: signed for or on site (now: {LABELS[ticket.status]})"
            )

    async def _readable(self, ticket: Ticket) -> None:
        if not self.staff and not await self._holds(ticket):
            raise missing("ticket")

    async def add(self, ticket_id: UUID, body: AsyncIterable[bytes], store: ObjectStore) -> tuple[TicketEvidence, bool]:
        """The stored photo and whether it is new (False: the same bytes were stored for this ticket before)."""
        await self._may_add(await self._ticket(ticket_id))
        evidence_id = uuid7()
        key = tenant_key(require_tenant(), EVIDENCE_KIND, evidence_id, 1)
        try:
            stored = await store.put_stream(key, body, max_bytes=EVIDENCE_MAX_BYTES)
        except ObjectTooLargeError:
            raise ProblemError(413, "a photo may be at most 10 MiB", title="Content Too Large") from None
        try:
            if stored.content_type not in EVIDENCE_TYPES:
                raise not_a_photo()
            ticket = await self._ticket(ticket_id, for_update=True)  # one upload per ticket at a time from here
            await self._may_add(ticket)  # it may have been resolved or handed back while the photo travelled
            same = await self.session.scalar(
                select(TicketEvidence).where(
                    TicketEvidence.ticket_id == ticket.id, TicketEvidence.sha256 == stored.sha256
                )
            )
            if same is not None:
                await store.delete(key)
                return same, False
            count = await self.session.scalar(
                select(func.count()).select_from(TicketEvidence).where(TicketEvidence.ticket_id == ticket.id)
            )
            if (count or 0) >= MAX_PHOTOS:
                raise conflict(f"a ticket keeps at most {MAX_PHOTOS} photos")
        except ProblemError:
            await store.delete(key)
            raise
        name, kind = await name_of(self.session, self.principal)
        row = TicketEvidence(
            id=evidence_id,
            ticket_id=ticket.id,
            object_key=stored.key,
            sha256=stored.sha256,
            content_type=stored.content_type,
            size_bytes=stored.size,
            uploaded_by=self.principal.user_id,
            uploaded_by_name=name,
            uploaded_by_kind=kind,
            uploaded_at=now(),
        )
        self.session.add(row)
        detail = {"evidenceId": str(evidence_id), "sha256": stored.sha256, "bytes": stored.size}
        await audit.record(
            self.session,
            "dispatch.ticket.evidence_added",
            subject_type="ticket",
            subject_id=str(ticket.id),
            detail=detail,
        )
        await self.session.flush()
        return row, True

    async def listed(self, ticket_id: UUID) -> list[TicketEvidence]:
        ticket = await self._ticket(ticket_id)
        query = select(TicketEvidence).where(TicketEvidence.ticket_id == ticket.id)
        return list(await self.session.scalars(query.order_by(TicketEvidence.uploaded_at, TicketEvidence.id)))

    async def photo(self, ticket_id: UUID, evidence_id: UUID) -> tuple[Ticket, TicketEvidence]:
        ticket = await self._ticket(ticket_id)
        await self._readable(ticket)
        row = await self.session.scalar(
            select(TicketEvidence).where(TicketEvidence.ticket_id == ticket.id, TicketEvidence.id == evidence_id)
        )
        if row is None:
            raise missing("photo")
        return ticket, row


def evidence_view(row: TicketEvidence, viewer: Principal) -> EvidenceView:
    return view(EvidenceView, row, uploaded_by_name=shown_name(row.uploaded_by_name, str(row.uploaded_by), viewer))


class TicketEvidenceController(Controller):
    path = "/api/dispatch/tickets/{ticket_id:uuid}/evidence"
    tags = ["Closure"]
    guards = [requires_tenant, requires_role(*STAFF, *PROVIDERS)]
    dependencies = {"evidence": provide_service(EvidenceService)}

    @post(
        "/",
        operation_id="AddTicketEvidence",
        request_max_body_size=EVIDENCE_MAX_BYTES + 1,
        summary="Upload a photo of the work (raw JPEG or PNG body, at most 10 MiB): the provider holding the order "
        "while it is theirs, or staff; 201, or 200 with the stored one when the same photo was sent before",
    )
    async def add(
        self,
        request: AnyRequest,
        evidence: NamedDependency[EvidenceService],
        ticket_id: FromPath[UUID],
        evidence_store: NamedDependency[ObjectStore],
    ) -> Response[EvidenceView]:
        row, new = await evidence.add(ticket_id, request.stream(), evidence_store)
        return Response(evidence_view(row, evidence.principal), status_code=201 if new else 200)

    @get("/", operation_id="ListTicketEvidence", summary="The ticket's photos, oldest first (not their bytes)")
    async def list_evidence(
        self, evidence: NamedDependency[EvidenceService], ticket_id: FromPath[UUID]
    ) -> list[EvidenceView]:
        return [evidence_view(row, evidence.principal) for row in await evidence.listed(ticket_id)]

    @get(
        "/{evidence_id:uuid}",
        operation_id="GetTicketEvidencePhoto",
        summary="The photo's bytes (image/jpeg or image/png): staff who see the ticket, and its provider",
    )
    async def photo(
        self,
        evidence: NamedDependency[EvidenceService],
        ticket_id: FromPath[UUID],
        evidence_id: FromPath[UUID],
        evidence_store: NamedDependency[ObjectStore],
    ) -> Stream:
        ticket, row = await evidence.photo(ticket_id, evidence_id)
        if await evidence_store.stat(row.object_key) is None:  # a 404 now rather than a broken stream later
            raise missing("photo")
        name = f"{ticket.number}-{row.id.hex[:8]}.{EVIDENCE_TYPES.get(row.content_type, 'bin')}"
        headers = {
            "content-length": str(row.size_bytes),
            "content-disposition": f'inline; filename="{name}"',
            "cache-control": "private, max-age=300",
            "x-content-type-options": "nosniff",
        }
        return Stream(evidence_store.chunks(row.object_key), media_type=row.content_type, headers=headers)
