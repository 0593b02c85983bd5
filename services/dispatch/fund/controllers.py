"""The village micro-fund (DSP-23) over HTTP: each village's balance, its ledger, donations and disbursements."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.dispatch.access import STAFF
from services.dispatch.fund.schemas import DisbursementCreate, DonationCreate, EntryView, Ledger, VillageFund
from services.dispatch.fund.services import FundService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views


class FundController(Controller):
    path = "/api/dispatch/fund"
    tags = ["Micro-fund"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"fund": provide_service(FundService)}

    async def _ledger(self, fund: FundService, village_id: UUID) -> Ledger:
        totals, entries = await fund.ledger(village_id)
        return Ledger(fund=totals, entries=views(EntryView, entries))

    @get("/villages", operation_id="MicroFunds", summary="Each village's micro-fund: donations, payments, balance")
    async def villages(self, fund: NamedDependency[FundService]) -> list[VillageFund]:
        return await fund.funds()

    @get("/villages/{village_id:uuid}", operation_id="MicroFundLedger", summary="A village's ledger, newest first")
    async def ledger(self, fund: NamedDependency[FundService], village_id: FromPath[UUID]) -> Ledger:
        return await self._ledger(fund, village_id)

    @post(
        "/villages/{village_id:uuid}/donations",
        operation_id="RecordDonation",
        summary="Book a benefactor's donation to the village's fund",
    )
    async def donate(
        self, fund: NamedDependency[FundService], village_id: FromPath[UUID], data: JSONBody[DonationCreate]
    ) -> EntryView:
        return view(EntryView, await fund.donate(village_id, data))

    @post(
        "/villages/{village_id:uuid}/disbursements",
        operation_id="RecordDisbursement",
        summary="Pay out of the fund for a micro-wish or a case (409 beyond the balance)",
    )
    async def disburse(
        self, fund: NamedDependency[FundService], village_id: FromPath[UUID], data: JSONBody[DisbursementCreate]
    ) -> EntryView:
        return view(EntryView, await fund.disburse(village_id, data))
