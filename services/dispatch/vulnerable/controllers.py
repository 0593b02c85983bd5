"""The vulnerable-group registry (DSP-09) over HTTP: staff register and pair households of their scope and read
the missed-visit report; the paired volunteer reads their households and records visits."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import STAFF
from services.dispatch.vulnerable.schemas import (
    CareVisitCreate,
    CareVisitView,
    MissedReport,
    PairingUpdate,
    VolunteerView,
    VulnerableCreate,
    VulnerableView,
)
from services.dispatch.vulnerable.services import VulnerableService
from shared.auth.principal import Role
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant

STAFF_ONLY = [requires_role(*STAFF)]


class VulnerableController(Controller):
    path = "/api/dispatch/vulnerable"
    tags = ["Vulnerable groups"]
    guards = [requires_tenant, requires_role(*STAFF, Role.MEMBER, Role.VOLUNTEER)]
    dependencies = {"registry": provide_service(VulnerableService)}

    @post(
        "/",
        operation_id="RegisterVulnerableHousehold",
        guards=STAFF_ONLY,
        summary="Register a household as disabled, empty-nest or living alone, paired at once or later",
    )
    async def register(
        self, registry: NamedDependency[VulnerableService], data: JSONBody[VulnerableCreate]
    ) -> VulnerableView:
        return await registry.register(data)

    @get(
        "/",
        operation_id="ListVulnerableHouseholds",
        summary="Registered households of the caller's scope (a volunteer: those paired with them)",
    )
    async def list_registered(
        self,
        registry: NamedDependency[VulnerableService],
        category: Annotated[str | None, QueryParameter(description="disabled | empty_nest | living_alone")] = None,
        unpaired: Annotated[bool, QueryParameter()] = False,
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> list[VulnerableView]:
        return await registry.page(category, unpaired, limit, offset)

    @get(
        "/missed",
        operation_id="MissedVulnerableVisits",
        guards=STAFF_ONLY,
        summary="Households whose volunteer missed a visit interval, is due now, or who have no volunteer",
    )
    async def missed(self, registry: NamedDependency[VulnerableService]) -> MissedReport:
        return await registry.missed()

    @get("/{registration_id:uuid}", operation_id="GetVulnerableHousehold", summary="One registered household")
    async def get_one(
        self, registry: NamedDependency[VulnerableService], registration_id: FromPath[UUID]
    ) -> VulnerableView:
        return (await registry.views([await registry.get(registration_id)]))[0]

    @get(
        "/{registration_id:uuid}/candidates",
        operation_id="VulnerablePairingCandidates",
        guards=STAFF_ONLY,
        summary="Member volunteers of the household's grid who may be paired with it",
    )
    async def candidates(
        self, registry: NamedDependency[VulnerableService], registration_id: FromPath[UUID]
    ) -> list[VolunteerView]:
        return await registry.candidates(registration_id)

    @put(
        "/{registration_id:uuid}/volunteer",
        operation_id="PairVulnerableHousehold",
        guards=STAFF_ONLY,
        summary="Pair the household with a member volunteer of its grid (replaces the pairing)",
    )
    async def pair(
        self,
        registry: NamedDependency[VulnerableService],
        registration_id: FromPath[UUID],
        data: JSONBody[PairingUpdate],
    ) -> VulnerableView:
        return await registry.pair(registration_id, data)

    @post(
        "/{registration_id:uuid}/visits",
        operation_id="RecordVulnerableVisit",
        summary="The paired volunteer's visit, recorded as a micro-visit of the household",
    )
    async def record_visit(
        self,
        registry: NamedDependency[VulnerableService],
        registration_id: FromPath[UUID],
        data: JSONBody[CareVisitCreate],
    ) -> CareVisitView:
        return await registry.record_visit(registration_id, data)
