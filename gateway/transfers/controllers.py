"""A district admin offers a member to another district, sees the offers both ways, and decides those addressed to
the district. The gateway is the only component that knows both districts; each service's data stays in its own."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import Tenant
from gateway.transfers import services as offers
from gateway.transfers.schemas import DistrictRef, OfferAccept, OfferCreate, OfferDecline, OfferRead
from gateway.transfers.upstream import ask_orgtree, refusal
from shared import audit
from shared.auth.principal import Principal, Role
from shared.context import tenant_scope
from shared.contracts.transfers import MemberTransferAccepted, MemberTransferClosed, TrainingHistory, TransferredMember
from shared.db.base import uuid7
from shared.http.guards import principal_of, requires_role, requires_tenant
from shared.http.problems import ProblemError, invalid

AnyRequest = Request[Any, Any, Any]


class TransferDistrictController(Controller):
    path = "/transfers/districts"
    tags = ["District administration"]
    guards = [requires_tenant, requires_role(Role.DISTRICT_ADMIN)]

    @get("/", operation_id="ListTransferDistricts", summary="The districts a member may be offered to")
    async def districts(self, request: AnyRequest, state: State) -> list[DistrictRef]:
        session: AsyncSession
        async with state.system_sessions() as session:
            return await offers.receiving_districts(session, principal_of(request))


class TransferOfferController(Controller):
    path = "/transfers/offers"
    tags = ["District administration"]
    guards = [requires_tenant, requires_role(Role.DISTRICT_ADMIN)]

    @post("/", operation_id="OfferMemberTransfer", summary="Offer a member to another district (GW-03)")
    async def offer(self, request: AnyRequest, state: State, data: JSONBody[OfferCreate]) -> OfferRead:
        principal = principal_of(request)
        session: AsyncSession
        async with state.system_sessions() as session:
            receiver = await offers.receiving_district(session, principal, data.to_district)
            await offers.check_not_leaving(session, principal, data.member_id)
        offer_id = uuid7()
        body = {
            "offerId": str(offer_id),
            "memberId": str(data.member_id),
            "toTenantId": str(receiver.id),
            "toDistrict": receiver.name,
            "reason": data.reason,
            "transferOn": data.transfer_on.isoformat(),
        }
        # orgtree checks the member (theirs, not leaving), records the outgoing transfer and announces it
        answer = await ask_orgtree(state, "POST", "/api/orgtree/transfers/outgoing", _authorization(request), body)
        if answer.status_code != 201:
            raise refusal(answer)
        async with state.system_sessions() as session, session.begin():
            values = {
                "id": offer_id,
                "from_tenant_id": principal.tenant_id,
                "to_tenant_id": receiver.id,
                "member_id": data.member_id,
                "status": "offered",
                "reason": data.reason,
                "transfer_on": data.transfer_on,
                "offered_by": principal.user_id,
            }
            await offers.record_offer(session, values)
            await _audit(session, principal, "transfer.offered", offer_id, {"toDistrict": receiver.slug})
            offer = await offers.one(session, principal, offer_id)
            return (await offers.read(session, principal, [offer]))[0]

    @get("/", operation_id="ListMemberTransferOffers", summary="The district's outgoing or incoming offers")
    async def list(
        self,
        request: AnyRequest,
        state: State,
        direction: Annotated[Literal["outgoing", "incoming"], QueryParameter()] = "outgoing",
    ) -> list[OfferRead]:
        principal = principal_of(request)
        session: AsyncSession
        async with state.system_sessions() as session:
            return await offers.read(session, principal, await offers.listed(session, principal, direction))

    @get("/{offer_id:uuid}", operation_id="GetMemberTransferOffer", summary="One offer of or to the district")
    async def one(self, request: AnyRequest, state: State, offer_id: FromPath[UUID]) -> OfferRead:
        principal = principal_of(request)
        session: AsyncSession
        async with state.system_sessions() as session:
            return (await offers.read(session, principal, [await offers.one(session, principal, offer_id)]))[0]

    @post(
        "/{offer_id:uuid}/accept",
        operation_id="AcceptMemberTransfer",
        summary="Take the member into a branch",
        status_code=200,
    )
    async def accept(
        self, request: AnyRequest, state: State, offer_id: FromPath[UUID], data: JSONBody[OfferAccept]
    ) -> OfferRead:
        principal = principal_of(request)
        session: AsyncSession
        async with state.system_sessions() as session:
            offers.ready(offers.open_for(await offers.one(session, principal, offer_id), principal, "receiver"))
        answer = await ask_orgtree(
            state, "GET", f"/api/orgtree/transfers/branches/{data.branch_id}", _authorization(request)
        )
        if answer.status_code in (404, 422):
            raise invalid("branchId", "not a party branch of this district that holds members")
        if answer.status_code != 200:
            raise refusal(answer)
        async with state.system_sessions() as session, session.begin():
            offer = offers.ready(
                offers.open_for(await offers.one(session, principal, offer_id, lock=True), principal, "receiver")
            )
            sender = await session.get(Tenant, offer.from_tenant_id)
            receiver = await session.get(Tenant, offer.to_tenant_id)
            assert sender is not None
            assert receiver is not None
            offers.decide(offer, principal, "accepted")
            offer.branch_id, offer.new_member_id = data.branch_id, uuid7()
            accepted = MemberTransferAccepted(
                tenant_id=receiver.id,
                offer_id=offer.id,
                member_id=offer.new_member_id,
                branch_id=data.branch_id,
                from_tenant_id=sender.id,
                from_district=sender.name,
                reason=offer.reason,
                transfer_on=offer.transfer_on,
                member=msgspec.convert(offer.member, TransferredMember),
                history=msgspec.convert(offer.history, TrainingHistory),
            )
            await offers.announce(session, accepted)
            await offers.announce(session, _closed(offer, receiver, "accepted"))
            await _audit(session, principal, "transfer.accepted", offer.id, {"branchId": str(data.branch_id)})
            return (await offers.read(session, principal, [offer]))[0]

    @post(
        "/{offer_id:uuid}/decline",
        operation_id="DeclineMemberTransfer",
        summary="Refuse an offer, with a reason",
        status_code=200,
    )
    async def decline(
        self, request: AnyRequest, state: State, offer_id: FromPath[UUID], data: JSONBody[OfferDecline]
    ) -> OfferRead:
        return await _close(request, state, offer_id, "declined", data.reason)

    @post(
        "/{offer_id:uuid}/withdraw",
        operation_id="WithdrawMemberTransfer",
        summary="Take back an open offer",
        status_code=200,
    )
    async def withdraw(self, request: AnyRequest, state: State, offer_id: FromPath[UUID]) -> OfferRead:
        return await _close(request, state, offer_id, "withdrawn", None)


async def _close(request: AnyRequest, state: State, offer_id: UUID, outcome: str, reason: str | None) -> OfferRead:
    principal = principal_of(request)
    session: AsyncSession
    async with state.system_sessions() as session, session.begin():
        offer = await offers.one(session, principal, offer_id, lock=True)
        offers.open_for(offer, principal, "receiver" if outcome == "declined" else "sender")
        if reason is not None and not reason.strip():
            raise invalid("reason", "say why the offer is declined")
        offers.decide(offer, principal, outcome)
        offer.decline_reason = reason.strip() if reason else None
        receiver = await session.get(Tenant, offer.to_tenant_id)
        assert receiver is not None
        await offers.announce(session, _closed(offer, receiver, outcome))
        await _audit(session, principal, f"transfer.{outcome}", offer.id, None)
        return (await offers.read(session, principal, [offer]))[0]


def _closed(offer: Any, receiver: Tenant, outcome: str) -> MemberTransferClosed:
    return MemberTransferClosed(
        tenant_id=offer.from_tenant_id,
        offer_id=offer.id,
        member_id=offer.member_id,
        outcome=outcome,
        to_district=receiver.name,
        transfer_on=offer.transfer_on,
        note=offer.decline_reason,
    )


async def _audit(
    session: AsyncSession, principal: Principal, action: str, offer_id: UUID, detail: dict[str, Any] | None
) -> None:
    with tenant_scope(principal.tenant_id):
        await audit.record(session, action, subject_type="transfer_offer", subject_id=str(offer_id), detail=detail)


def _authorization(request: AnyRequest) -> str:
    value = request.headers.get("authorization")
    if not value:
        raise ProblemError(401, "authentication required", title="Unauthorized")
    return value
