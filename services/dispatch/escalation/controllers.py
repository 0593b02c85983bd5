"""The ladder (DSP-14), referral notices (DSP-15) and extensions of time limits, over HTTP."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.dispatch.access import OPERATORS, PROVIDERS, STAFF
from services.dispatch.escalation.extensions import ExtensionService
from services.dispatch.escalation.referrals import ReferralService
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
from services.dispatch.models import Deadline, Extension
from services.dispatch.tickets.history import shown_name
from services.dispatch.tickets.schemas import TicketView
from services.dispatch.tickets.views import ticket_view
from shared.auth.principal import Principal
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views


def extension_view(row: Extension, deadline: Deadline, viewer: Principal) -> ExtensionView:
    requested = shown_name(row.requested_by_name, str(row.requested_by), viewer)
    decided = shown_name(row.decided_by_name, str(row.decided_by), viewer)
    return view(
        ExtensionView,
        row,
        clock=deadline.kind,
        due_at=deadline.due_at,
        requested_by_name=requested,
        decided_by_name=decided,
    )


class LadderController(Controller):
    path = "/api/dispatch/tickets"
    tags = ["Escalation"]
    guards = [requires_tenant]
    dependencies = {
        "ladder": provide_service(EscalationService),
        "referrals": provide_service(ReferralService),
        "extensions": provide_service(ExtensionService),
    }

    @post(
        "/{ticket_id:uuid}/escalations",
        operation_id="EscalateTicket",
        status_code=200,
        summary="Move a case one level up the ladder, with a reason",
        guards=[requires_role(*STAFF)],
    )
    async def escalate(
        self, ladder: NamedDependency[EscalationService], ticket_id: FromPath[UUID], data: JSONBody[EscalationRequest]
    ) -> TicketView:
        return ticket_view(await ladder.escalate(ticket_id, data.to_level, data.reason))

    @get(
        "/{ticket_id:uuid}/escalations",
        operation_id="GetEscalationPath",
        summary="The ladder path so far: each step with who, when and why",
    )
    async def escalation_path(
        self, ladder: NamedDependency[EscalationService], ticket_id: FromPath[UUID]
    ) -> EscalationPath:
        return await ladder.path(ticket_id)

    @post(
        "/{ticket_id:uuid}/referrals",
        operation_id="IssueReferral",
        guards=[requires_role(*STAFF)],
        summary="Issue a referral notice (抄告单) at the street supervision level",
    )
    async def issue_referral(
        self, referrals: NamedDependency[ReferralService], ticket_id: FromPath[UUID], data: JSONBody[ReferralCreate]
    ) -> ReferralView:
        return view(ReferralView, await referrals.issue(ticket_id, data))

    @get(
        "/{ticket_id:uuid}/referrals",
        operation_id="ListReferrals",
        summary="The case's referral notices",
        guards=[requires_role(*STAFF)],
    )
    async def list_referrals(
        self, referrals: NamedDependency[ReferralService], ticket_id: FromPath[UUID]
    ) -> list[ReferralView]:
        return views(ReferralView, await referrals.of_ticket(ticket_id))

    @post(
        "/{ticket_id:uuid}/extensions",
        operation_id="RequestExtension",
        summary="Ask for more time on a running time limit, before it runs out",
        guards=[requires_role(*STAFF, *PROVIDERS)],
    )
    async def request_extension(
        self, extensions: NamedDependency[ExtensionService], ticket_id: FromPath[UUID], data: JSONBody[ExtensionCreate]
    ) -> ExtensionView:
        return extension_view(*await extensions.request(ticket_id, data), extensions.principal)

    @get(
        "/{ticket_id:uuid}/extensions",
        operation_id="ListExtensions",
        summary="The case's extension requests",
        guards=[requires_role(*STAFF, *PROVIDERS)],
    )
    async def list_extensions(
        self, extensions: NamedDependency[ExtensionService], ticket_id: FromPath[UUID]
    ) -> list[ExtensionView]:
        return [extension_view(*row, extensions.principal) for row in await extensions.of_ticket(ticket_id)]


class ReferralController(Controller):
    path = "/api/dispatch/referrals"
    tags = ["Escalation"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"referrals": provide_service(ReferralService)}

    @post(
        "/{referral_id:uuid}/closure",
        operation_id="CloseReferral",
        status_code=200,
        summary="Record the responsible unit's closure note on a referral notice",
    )
    async def close(
        self, referrals: NamedDependency[ReferralService], referral_id: FromPath[UUID], data: JSONBody[ReferralClosure]
    ) -> ReferralView:
        return view(ReferralView, await referrals.close(referral_id, data.note))


class ExtensionController(Controller):
    path = "/api/dispatch/extensions"
    tags = ["Escalation"]
    guards = [requires_tenant, requires_role(*OPERATORS)]
    dependencies = {"extensions": provide_service(ExtensionService)}

    @post(
        "/{extension_id:uuid}/decision",
        operation_id="DecideExtension",
        status_code=200,
        summary="Approve or refuse an extension request, before the time limit runs out",
    )
    async def decide(
        self,
        extensions: NamedDependency[ExtensionService],
        extension_id: FromPath[UUID],
        data: JSONBody[ExtensionDecision],
    ) -> ExtensionView:
        return extension_view(*await extensions.decide(extension_id, data.approve, data.note), extensions.principal)
