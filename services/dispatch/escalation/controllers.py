"""The ladder (DSP-14), referral notices (DSP-15) and extensions of time limits, over HTTP."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import OPERATORS, PROVIDERS, STAFF
from services.dispatch.escalation.schemas import (
    EscalationPath,
    EscalationRequest,
    ExtensionCreate,
    ExtensionDecision,
    ExtensionView,
    ReferralClosure,
    ReferralCreate,
    ReferralView,
)
from services.dispatch.escalation.services import EscalationService
from services.dispatch.models import Deadline, Extension, ReferralNotice
from services.dispatch.tickets.schemas import TicketView
from services.dispatch.tickets.views import ticket_view
from shared.http.guards import principal_of, requires_role, requires_tenant

AnyRequest = Request[Any, Any, Any]


def referral_view(r: ReferralNotice) -> ReferralView:
    return ReferralView(id=r.id, ticket_id=r.ticket_id, number=r.number, meeting=r.meeting,
                        responsible_unit=r.responsible_unit, responsible_person=r.responsible_person,
                        due_on=r.due_on, issued_by=r.issued_by, issued_at=r.issued_at, closure_note=r.closure_note,
                        closed_at=r.closed_at)  # fmt: skip


def extension_view(e: Extension, d: Deadline) -> ExtensionView:
    return ExtensionView(id=e.id, ticket_id=e.ticket_id, deadline_id=e.deadline_id, clock=d.kind, due_at=d.due_at,
                         new_due_at=e.new_due_at, reason=e.reason, status=e.status, requested_by=e.requested_by,
                         requested_at=e.requested_at, decided_by=e.decided_by, decided_at=e.decided_at,
                         decision_note=e.decision_note)  # fmt: skip


class LadderController(Controller):
    path = "/api/dispatch/tickets"
    tags = ["Escalation"]
    guards = [requires_tenant]

    @post("/{ticket_id:uuid}/escalations", operation_id="EscalateTicket", status_code=200,
          summary="Move a case one level up the ladder, with a reason", guards=[requires_role(*STAFF)])  # fmt: skip
    async def escalate(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID],
        data: JSONBody[EscalationRequest],
    ) -> TicketView:  # fmt: skip
        service = EscalationService(db_session, principal_of(request))
        return ticket_view(await service.escalate(ticket_id, data.to_level, data.reason))

    @get("/{ticket_id:uuid}/escalations", operation_id="GetEscalationPath",
         summary="The ladder path so far: each step with who, when and why")  # fmt: skip
    async def escalation_path(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID]
    ) -> EscalationPath:
        return await EscalationService(db_session, principal_of(request)).path(ticket_id)

    @post("/{ticket_id:uuid}/referrals", operation_id="IssueReferral", guards=[requires_role(*STAFF)],
          summary="Issue a referral notice (抄告单) at the street supervision level")  # fmt: skip
    async def issue_referral(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID],
        data: JSONBody[ReferralCreate],
    ) -> ReferralView:  # fmt: skip
        return referral_view(await EscalationService(db_session, principal_of(request)).issue_referral(ticket_id, data))

    @get("/{ticket_id:uuid}/referrals", operation_id="ListReferrals", summary="The case's referral notices",
         guards=[requires_role(*STAFF)])  # fmt: skip
    async def list_referrals(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID]
    ) -> list[ReferralView]:
        rows = await EscalationService(db_session, principal_of(request)).referrals(ticket_id)
        return [referral_view(r) for r in rows]

    @post("/{ticket_id:uuid}/extensions", operation_id="RequestExtension",
          summary="Ask for more time on a running time limit, before it runs out",
          guards=[requires_role(*STAFF, *PROVIDERS)])  # fmt: skip
    async def request_extension(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID],
        data: JSONBody[ExtensionCreate],
    ) -> ExtensionView:  # fmt: skip
        service = EscalationService(db_session, principal_of(request))
        return extension_view(*await service.request_extension(ticket_id, data))

    @get("/{ticket_id:uuid}/extensions", operation_id="ListExtensions", summary="The case's extension requests",
         guards=[requires_role(*STAFF, *PROVIDERS)])  # fmt: skip
    async def list_extensions(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], ticket_id: FromPath[UUID]
    ) -> list[ExtensionView]:
        rows = await EscalationService(db_session, principal_of(request)).extensions(ticket_id)
        return [extension_view(e, d) for e, d in rows]


class ReferralController(Controller):
    path = "/api/dispatch/referrals"
    tags = ["Escalation"]
    guards = [requires_tenant, requires_role(*STAFF)]

    @post("/{referral_id:uuid}/closure", operation_id="CloseReferral", status_code=200,
          summary="Record the responsible unit's closure note on a referral notice")  # fmt: skip
    async def close(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], referral_id: FromPath[UUID],
        data: JSONBody[ReferralClosure],
    ) -> ReferralView:  # fmt: skip
        service = EscalationService(db_session, principal_of(request))
        return referral_view(await service.close_referral(referral_id, data.note))


class ExtensionController(Controller):
    path = "/api/dispatch/extensions"
    tags = ["Escalation"]
    guards = [requires_tenant, requires_role(*OPERATORS)]

    @post("/{extension_id:uuid}/decision", operation_id="DecideExtension", status_code=200,
          summary="Approve or refuse an extension request, before the time limit runs out")  # fmt: skip
    async def decide(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], extension_id: FromPath[UUID],
        data: JSONBody[ExtensionDecision],
    ) -> ExtensionView:  # fmt: skip
        service = EscalationService(db_session, principal_of(request))
        return extension_view(*await service.decide_extension(extension_id, data.approve, data.note))
