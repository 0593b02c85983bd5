"""Election records on a unit (ORG-24): recording an election with its candidates, each round's votes and whom it
elected, and reading a unit's elections. Another district's or another street's id is a 404."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.orgtree.access import EDITOR, STAFF, in_district
from services.orgtree.elections.schemas import ElectionCreate, ElectionView, RoundCreate
from services.orgtree.elections.services import ElectionService
from shared.http.di import provide_service


class ElectionController(Controller):
    path = "/api/orgtree"
    tags = ["Elections"]
    guards = in_district(*STAFF)
    dependencies = {"elections": provide_service(ElectionService)}

    @get(
        "/nodes/{node_id:uuid}/elections", operation_id="ListUnitElections", summary="A unit's elections, newest first"
    )
    async def of_unit(self, elections: NamedDependency[ElectionService], node_id: FromPath[UUID]) -> list[ElectionView]:
        return await elections.of_unit(node_id)

    @post(
        "/nodes/{node_id:uuid}/elections",
        operation_id="RecordElection",
        summary="Record an election with its candidates and how each was nominated (more candidates than seats)",
        guards=EDITOR,
    )
    async def record(
        self, elections: NamedDependency[ElectionService], node_id: FromPath[UUID], data: JSONBody[ElectionCreate]
    ) -> ElectionView:
        return await elections.record(node_id, data)

    @get("/elections/{election_id:uuid}", operation_id="GetElection", summary="An election with its rounds")
    async def detail(self, elections: NamedDependency[ElectionService], election_id: FromPath[UUID]) -> ElectionView:
        return await elections.detail(election_id)

    @post(
        "/elections/{election_id:uuid}/rounds",
        operation_id="RecordElectionRound",
        summary="Record the next round (at most 3): each standing candidate's votes and whom it elected",
        guards=EDITOR,
    )
    async def add_round(
        self, elections: NamedDependency[ElectionService], election_id: FromPath[UUID], data: JSONBody[RoundCreate]
    ) -> ElectionView:
        return await elections.add_round(election_id, data)
