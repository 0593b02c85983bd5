"""The residents' public endpoint: no account, no token; the district comes from the path, the phone from a code.

Unauthenticated (``/api/dispatch/public/`` is public in this app and in the gateway, which limits it per
client address). Each request runs in one transaction of the district named in the path, through the same
RLS as every other request: a district without a hotline is a 404.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, HeaderParameter, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.dispatch.closure.schemas import FeedbackCreate, FeedbackView
from services.dispatch.public.schemas import (
    FollowTokenCreate,
    FollowTokenIssued,
    PublicCategory,
    PublicHistoryEntry,
    PublicRequestCreate,
    PublicRequestCreated,
    PublicRequestStatus,
    VerificationCreate,
    VerificationStarted,
)
from services.dispatch.public.services import PublicService
from services.dispatch.settings import get_dispatch_settings
from services.dispatch.tickets.history import actor_label
from services.dispatch.tickets.transitions import LABELS
from shared.context import tenant_scope
from shared.http.problems import ProblemError
from shared.http.views import view
from shared.privacy import mask_phone

FollowToken = Annotated[str | None, HeaderParameter(name="X-Follow-Token", max_length=200)]


class PublicDesk:
    """The residents' service, one transaction of the district in the path at a time. There is no principal
    to build it from (``provide_service`` needs one), and a refusal may have to be answered after the commit."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    @asynccontextmanager
    async def district(self, tenant_id: UUID) -> AsyncIterator[PublicService]:
        """One transaction of the district in the path (the hook sets the tenant from this scope)."""
        with tenant_scope(tenant_id):
            async with self.sessions() as session, session.begin():
                yield PublicService(session)


def provide_desk(state: State) -> PublicDesk:
    return PublicDesk(state.sessionmaker)


class PublicController(Controller):
    path = "/api/dispatch/public/{tenant_id:uuid}"
    tags = ["Residents"]
    dependencies = {"desk": Provide(provide_desk, sync_to_thread=False)}

    @post(
        "/verifications",
        operation_id="SendVerificationCode",
        status_code=201,
        summary="Send a 6-digit code by SMS to the resident's mobile (a few per hour)",
    )
    async def send_code(
        self, desk: NamedDependency[PublicDesk], tenant_id: FromPath[UUID], data: JSONBody[VerificationCreate]
    ) -> VerificationStarted:
        async with desk.district(tenant_id) as public:
            row = await public.start_verification(data.phone, get_dispatch_settings())
        return VerificationStarted(verification_id=row.id, phone=mask_phone(data.phone), expires_at=row.expires_at)

    @get(
        "/categories",
        operation_id="ListPublicCategories",
        summary="The district's service categories a resident may choose on a request (ids, codes and names)",
    )
    async def categories(self, desk: NamedDependency[PublicDesk], tenant_id: FromPath[UUID]) -> list[PublicCategory]:
        async with desk.district(tenant_id) as public:
            return [view(PublicCategory, row) for row in await public.categories()]

    @post(
        "/requests",
        operation_id="CreatePublicRequest",
        status_code=201,
        summary="File a request with the code just received; answers its number and a follow token",
    )
    async def create(
        self, desk: NamedDependency[PublicDesk], tenant_id: FromPath[UUID], data: JSONBody[PublicRequestCreate]
    ) -> PublicRequestCreated:
        limits = get_dispatch_settings()
        async with desk.district(tenant_id) as public:
            filed = await public.file_request(data, limits)
        if isinstance(filed, ProblemError):
            raise filed  # answered after commit: the wrong attempt must be counted
        ticket, token = filed
        return PublicRequestCreated(number=ticket.number, follow_token=token)

    @post(
        "/requests/{number:str}/follow-token",
        operation_id="RenewPublicFollowToken",
        status_code=201,
        summary="A fresh follow token for a request made from the phone just verified by SMS code (replaces the "
        "old one); a number that is not that phone's is a 404 like an unknown one, and the code is spent either way",
    )
    async def follow_token(
        self,
        desk: NamedDependency[PublicDesk],
        tenant_id: FromPath[UUID],
        number: FromPath[str],
        data: JSONBody[FollowTokenCreate],
    ) -> FollowTokenIssued:
        async with desk.district(tenant_id) as public:
            issued = await public.follow_token(number, data)
        if isinstance(issued, ProblemError):
            raise issued  # answered after commit: the spent code and a wrong attempt must be counted
        ticket, token = issued
        return FollowTokenIssued(number=ticket.number, follow_token=token)

    @get(
        "/requests/{number:str}",
        operation_id="FollowPublicRequest",
        summary="Where a request stands: status and what happened when (needs its X-Follow-Token)",
    )
    async def follow(
        self,
        desk: NamedDependency[PublicDesk],
        tenant_id: FromPath[UUID],
        number: FromPath[str],
        token: FollowToken = None,
    ) -> PublicRequestStatus:
        async with desk.district(tenant_id) as public:
            ticket, history = await public.followed_request(number, token)
        status_label = LABELS.get(ticket.status, ticket.status)
        entries = [
            view(PublicHistoryEntry, h, status=h.to_status, actor_name=actor_label(h.actor, h.actor_name, None))
            for h in history
        ]
        return view(PublicRequestStatus, ticket, status_label=status_label, history=entries)

    @post(
        "/requests/{number:str}/feedback",
        operation_id="GivePublicFeedback",
        status_code=201,
        summary="The resident's feedback once the request is resolved (needs its X-Follow-Token); "
        "dissatisfaction reopens it",
    )
    async def feedback(
        self,
        desk: NamedDependency[PublicDesk],
        tenant_id: FromPath[UUID],
        number: FromPath[str],
        data: JSONBody[FeedbackCreate],
        token: FollowToken = None,
    ) -> FeedbackView:
        async with desk.district(tenant_id) as public:
            row, ticket = await public.give_feedback(number, token, data)
            return view(FeedbackView, row, taken_by=None, taken_by_name=None, ticket_status=ticket.status)
