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
from litestar.params import FromPath, HeaderParameter, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.dispatch.catalogue.services import district_settings
from services.dispatch.public.schemas import (
    PublicHistoryEntry,
    PublicRequestCreate,
    PublicRequestCreated,
    PublicRequestStatus,
    VerificationCreate,
    VerificationStarted,
)
from services.dispatch.public.services import check_code, create_request, followed_request, start_verification
from services.dispatch.settings import get_dispatch_settings
from services.dispatch.tickets.transitions import LABELS
from shared.audit import actor_scope, current_client_ip
from shared.context import tenant_scope
from shared.http.problems import ProblemError
from shared.privacy import mask_phone

FollowToken = Annotated[str | None, HeaderParameter(name="X-Follow-Token", max_length=200)]


@asynccontextmanager
async def district_transaction(state: State, tenant_id: UUID) -> AsyncIterator[AsyncSession]:
    """One transaction of the district in the path (the hook sets the tenant from this scope)."""
    sessions: async_sessionmaker[AsyncSession] = state.sessionmaker
    with tenant_scope(tenant_id):
        async with sessions() as session, session.begin():
            yield session


class PublicController(Controller):
    path = "/api/dispatch/public/{tenant_id:uuid}"
    tags = ["Residents"]

    @post("/verifications", operation_id="SendVerificationCode", status_code=201,
          summary="Send a 6-digit code by SMS to the resident's mobile (a few per hour)")  # fmt: skip
    async def send_code(
        self, state: State, tenant_id: FromPath[UUID], data: JSONBody[VerificationCreate]
    ) -> VerificationStarted:
        async with district_transaction(state, tenant_id) as session:
            with actor_scope("resident:web", ("resident",), client_ip=current_client_ip.get()):
                row = await start_verification(session, data.phone, get_dispatch_settings())
        return VerificationStarted(verification_id=row.id, phone=mask_phone(data.phone), expires_at=row.expires_at)

    @post("/requests", operation_id="CreatePublicRequest", status_code=201,
          summary="File a request with the code just received; answers its number and a follow token")  # fmt: skip
    async def create(
        self, state: State, tenant_id: FromPath[UUID], data: JSONBody[PublicRequestCreate]
    ) -> PublicRequestCreated:
        limits = get_dispatch_settings()
        refusal: ProblemError | None = None
        async with district_transaction(state, tenant_id) as session:
            await district_settings(session)
            checked = await check_code(session, data.verification_id, data.code)
            if isinstance(checked, ProblemError):
                refusal = checked  # answered after commit: the wrong attempt must be counted
            else:
                with actor_scope(f"resident:{checked.id}", ("resident",), client_ip=current_client_ip.get()):
                    ticket, token = await create_request(session, checked, data, limits)
        if refusal is not None:
            raise refusal
        return PublicRequestCreated(number=ticket.number, follow_token=token)

    @get("/requests/{number:str}", operation_id="FollowPublicRequest",
         summary="Where a request stands: status and what happened when (needs its X-Follow-Token)")  # fmt: skip
    async def follow(
        self, state: State, tenant_id: FromPath[UUID], number: FromPath[str], token: FollowToken = None
    ) -> PublicRequestStatus:
        async with district_transaction(state, tenant_id) as session:
            ticket, history = await followed_request(session, number, token)
        return PublicRequestStatus(
            number=ticket.number, status=ticket.status, status_label=LABELS.get(ticket.status, ticket.status),
            created_at=ticket.created_at,
            history=[PublicHistoryEntry(action=h.action, at=h.at, status=h.to_status) for h in history],
        )  # fmt: skip
