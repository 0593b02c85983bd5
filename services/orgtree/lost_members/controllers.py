"""The lost-contact member return programme's API (``/api/orgtree/lost-members``): cases and their steps, and the
ledgers at each level. Another district's or another street's case or unit is a 404."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.orgtree.access import EDITOR, STAFF, in_district
from services.orgtree.lost_members.ledger import LedgerService
from services.orgtree.lost_members.schemas import (
    CaseLine,
    CaseOpen,
    CaseView,
    FoundRecord,
    LedgerView,
    Regrouping,
    SearchRecord,
    UnqualifiedRecord,
)
from services.orgtree.lost_members.services import LostMemberService
from shared.http.di import provide_service

CaseId = FromPath[UUID]
Service = NamedDependency[LostMemberService]


class LostMemberController(Controller):
    path = "/api/orgtree/lost-members"
    tags = ["Lost-contact members"]
    guards = in_district(*STAFF)
    dependencies = {"cases": provide_service(LostMemberService), "ledgers": provide_service(LedgerService)}

    @get("/", operation_id="ListLostMemberCases", summary="The return programme's cases, lost longest first")
    async def listing(
        self,
        cases: Service,
        state_: Annotated[str | None, QueryParameter(name="state", max_length=20)] = None,
        within: Annotated[UUID | None, QueryParameter()] = None,
    ) -> list[CaseLine]:
        return await cases.listing(state_, within)

    @post("/", operation_id="OpenLostMemberCase", summary="Open a case: how the member lost contact", guards=EDITOR)
    async def open(self, cases: Service, data: JSONBody[CaseOpen]) -> CaseView:
        return await cases.open(data)

    @get("/ledger", operation_id="LostMemberLedger", summary="A unit's ledger, with a line per unit one level down")
    async def ledger(
        self, ledgers: NamedDependency[LedgerService], within: Annotated[UUID | None, QueryParameter()] = None
    ) -> LedgerView:
        return await ledgers.ledger(within)

    @get("/{case_id:uuid}", operation_id="GetLostMemberCase", summary="A case with every step")
    async def detail(self, cases: Service, case_id: CaseId) -> CaseView:
        return await cases.detail(case_id)

    @post("/{case_id:uuid}/searches", operation_id="RecordLostMemberSearch", summary="A search", guards=EDITOR)
    async def searched(self, cases: Service, case_id: CaseId, data: JSONBody[SearchRecord]) -> CaseView:
        return await cases.searched(case_id, data)

    @post("/{case_id:uuid}/found", operation_id="RecordLostMemberFound", summary="Found", guards=EDITOR)
    async def found(self, cases: Service, case_id: CaseId, data: JSONBody[FoundRecord]) -> CaseView:
        return await cases.found(case_id, data)

    @post(
        "/{case_id:uuid}/regroup",
        operation_id="RegroupLostMember",
        summary="Regroup into a branch by location, workplace, interest or business (a membership transfer)",
        guards=EDITOR,
    )
    async def regroup(self, cases: Service, case_id: CaseId, data: JSONBody[Regrouping]) -> CaseView:
        return await cases.regroup(case_id, data)

    @post(
        "/{case_id:uuid}/unqualified",
        operation_id="RecordLostMemberUnqualified",
        summary="Found unqualified: prepared for removal from the rolls",
        guards=EDITOR,
    )
    async def unqualified(self, cases: Service, case_id: CaseId, data: JSONBody[UnqualifiedRecord]) -> CaseView:
        return await cases.unqualified(case_id, data)
