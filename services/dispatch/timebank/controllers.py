"""The time bank (DSP-08): a provider's points, redemptions and gifts to paired households; operators look on."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import OPERATORS, PROVIDERS
from services.dispatch.models import TimeBankAccount, TimeBankEntry
from services.dispatch.timebank.schemas import AccountView, EntryView, MovementView, RedemptionCreate, TransferCreate
from services.dispatch.timebank.services import TimeBankService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views

HolderKind = Annotated[str, QueryParameter(name="holderKind", pattern="^(provider|household)$")]
OPERATOR = [requires_role(*OPERATORS)]
PROVIDER = [requires_role(*PROVIDERS)]


def account_view(account: TimeBankAccount, entries: list[TimeBankEntry]) -> AccountView:
    return view(AccountView, account, entries=views(EntryView, entries))


def movement_view(entry: TimeBankEntry, balance_points: int) -> MovementView:
    return MovementView(entry=view(EntryView, entry), balance_points=balance_points)


class TimeBankController(Controller):
    path = "/api/dispatch/timebank"
    tags = ["Time bank"]
    guards = [requires_tenant]
    dependencies = {"timebank": provide_service(TimeBankService)}

    @get("/me", operation_id="MyTimeBank", summary="My points, service time and latest entries", guards=PROVIDER)
    async def me(self, timebank: NamedDependency[TimeBankService]) -> AccountView:
        return account_view(*await timebank.me())

    @post(
        "/redemptions",
        operation_id="RedeemPoints",
        summary="Exchange points for goods or housekeeping services",
        guards=PROVIDER,
    )
    async def redeem(
        self, timebank: NamedDependency[TimeBankService], data: JSONBody[RedemptionCreate]
    ) -> MovementView:
        return movement_view(*await timebank.redeem(data))

    @post(
        "/transfers",
        operation_id="GivePoints",
        summary="Give points to a paired beneficiary household",
        guards=PROVIDER,
    )
    async def transfer(
        self, timebank: NamedDependency[TimeBankService], data: JSONBody[TransferCreate]
    ) -> MovementView:
        return movement_view(*await timebank.transfer(data))

    @get(
        "/accounts",
        operation_id="FindTimeBankAccount",
        summary="The account of a provider or a household",
        guards=OPERATOR,
    )
    async def find(
        self,
        timebank: NamedDependency[TimeBankService],
        holder_kind: HolderKind,
        holder_id: Annotated[UUID, QueryParameter(name="holderId")],
    ) -> AccountView:
        return account_view(*await timebank.find(holder_kind, holder_id))

    @get(
        "/accounts/{account_id:uuid}",
        operation_id="GetTimeBankAccount",
        summary="One account and its entries",
        guards=OPERATOR,
    )
    async def account(self, timebank: NamedDependency[TimeBankService], account_id: FromPath[UUID]) -> AccountView:
        return account_view(*await timebank.account(account_id))
