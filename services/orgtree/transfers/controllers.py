"""``/api/orgtree/transfers``: the district admin's side of a transfer between districts. The gateway calls the
first two with the admin's own token (it holds the offer); the member's page lists the member's transfers."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.orgtree.access import in_district
from services.orgtree.transfers.schemas import BranchView, DistrictTransferView, OutgoingTransfer
from services.orgtree.transfers.services import DistrictTransferService
from shared.auth.principal import Role
from shared.http.di import provide_service
from shared.http.views import view, views

Service = NamedDependency[DistrictTransferService]


class DistrictTransferController(Controller):
    path = "/api/orgtree/transfers"
    tags = ["Members"]
    guards = in_district(Role.DISTRICT_ADMIN)
    dependencies = {"transfers": provide_service(DistrictTransferService)}

    @post("/outgoing", operation_id="RecordOutgoingTransfer", summary="The member is leaving for another district")
    async def offer(self, transfers: Service, data: JSONBody[OutgoingTransfer]) -> DistrictTransferView:
        return view(DistrictTransferView, await transfers.offer(data))

    @get("/branches/{branch_id:uuid}", operation_id="CheckReceivingBranch", summary="A branch that takes members")
    async def branch(self, transfers: Service, branch_id: FromPath[UUID]) -> BranchView:
        return view(BranchView, await transfers.receiving_branch(branch_id))

    @get("/", operation_id="ListDistrictTransfers", summary="A member's transfers between districts")
    async def of_member(
        self, transfers: Service, member_id: Annotated[UUID, QueryParameter(name="memberId")]
    ) -> list[DistrictTransferView]:
        return views(DistrictTransferView, await transfers.of_member(member_id))
