"""The time bank (DSP-08): a provider's points, redemptions and gifts to paired households; operators look on."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import OPERATORS, PROVIDERS
from services.dispatch.timebank.schemas import AccountView, MovementView, RedemptionCreate, TransferCreate
from services.dispatch.timebank.services import TimeBankService
from shared.http.guards import principal_of, requires_role, requires_tenant

AnyRequest = Request[Any, Any, Any]


class TimeBankController(Controller):
    path = "/api/dispatch/timebank"
    tags = ["Time bank"]
    guards = [requires_tenant]

    @get("/me", operation_id="MyTimeBank", summary="My points, service time and latest entries",
         guards=[requires_role(*PROVIDERS)])  # fmt: skip
    async def me(self, request: AnyRequest, db_session: NamedDependency[AsyncSession]) -> AccountView:
        return await TimeBankService(db_session, principal_of(request)).me()

    @post("/redemptions", operation_id="RedeemPoints", summary="Exchange points for goods or housekeeping services",
          guards=[requires_role(*PROVIDERS)])  # fmt: skip
    async def redeem(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[RedemptionCreate]
    ) -> MovementView:
        return await TimeBankService(db_session, principal_of(request)).redeem(data)

    @post("/transfers", operation_id="GivePoints", summary="Give points to a paired beneficiary household",
          guards=[requires_role(*PROVIDERS)])  # fmt: skip
    async def transfer(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[TransferCreate]
    ) -> MovementView:
        return await TimeBankService(db_session, principal_of(request)).transfer(data)

    @get("/accounts", operation_id="FindTimeBankAccount", summary="The account of a provider or a household",
         guards=[requires_role(*OPERATORS)])  # fmt: skip
    async def find(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession],
        holder_kind: Annotated[str, QueryParameter(name="holderKind", pattern="^(provider|household)$")],
        holder_id: Annotated[UUID, QueryParameter(name="holderId")],
    ) -> AccountView:  # fmt: skip
        return await TimeBankService(db_session, principal_of(request)).find(holder_kind, holder_id)

    @get("/accounts/{account_id:uuid}", operation_id="GetTimeBankAccount", summary="One account and its entries",
         guards=[requires_role(*OPERATORS)])  # fmt: skip
    async def account(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], account_id: FromPath[UUID]
    ) -> AccountView:
        return await TimeBankService(db_session, principal_of(request)).account(account_id)
