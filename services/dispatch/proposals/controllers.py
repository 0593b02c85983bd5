"""The member proposal box (DSP-29) over HTTP: hotline and tree staff record, sort, hold seminars, escalate, close."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import STAFF
from services.dispatch.proposals.models import TIERS, Proposal, ProposalSeminar, ProposalStatus, ProposalStep
from services.dispatch.proposals.report import ClosureReportService
from services.dispatch.proposals.schemas import (
    Category,
    ClosureReport,
    CommunityOption,
    ProposalClassify,
    ProposalClose,
    ProposalCreate,
    ProposalEscalate,
    ProposalPage,
    ProposalView,
    ProposerOption,
    SeminarCreate,
    SeminarView,
    StepView,
)
from services.dispatch.proposals.services import CATEGORIES, ProposalService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views

Status = Annotated[str | None, QueryParameter(name="status", pattern="^(" + "|".join(ProposalStatus) + ")$")]
TierFilter = Annotated[str | None, QueryParameter(name="tier", pattern="^(" + "|".join(TIERS) + ")$")]
Community = Annotated[UUID | None, QueryParameter(name="communityId")]
FirstDay = Annotated[str | None, QueryParameter(name="from", description="YYYY-MM-DD, first day filed")]
LastDay = Annotated[str | None, QueryParameter(name="to", description="YYYY-MM-DD, last day filed")]
GroupBy = Annotated[str, QueryParameter(name="by", description="community | street")]


def proposal_view(
    p: Proposal, seminars: list[ProposalSeminar] | None = None, steps: list[ProposalStep] | None = None
) -> ProposalView:
    return view(
        ProposalView,
        p,
        joint=len(p.proposer_member_ids) > 1,
        seminars=views(SeminarView, seminars) if seminars is not None else None,
        steps=views(StepView, steps) if steps is not None else None,
    )


class ProposalController(Controller):
    path = "/api/dispatch/proposals"
    tags = ["Proposal box"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"proposals": provide_service(ProposalService), "closures": provide_service(ClosureReportService)}

    async def _full(self, proposals: ProposalService, proposal: Proposal) -> ProposalView:
        seminars, steps = await proposals.details(proposal)
        return proposal_view(proposal, seminars, steps)

    @get("/categories", operation_id="ProposalCategories", summary="The reviewer's categories with zh-CN labels")
    async def categories(self) -> list[Category]:
        return [Category(code=code, label=label) for code, label in CATEGORIES.items()]

    @get("/communities", operation_id="ProposalCommunities", summary="Communities the caller may file proposals for")
    async def communities(self, proposals: NamedDependency[ProposalService]) -> list[CommunityOption]:
        return [CommunityOption(**c) for c in await proposals.communities()]

    @get("/proposers", operation_id="ProposalProposers", summary="The district's members who may file proposals")
    async def proposers(self, proposals: NamedDependency[ProposalService]) -> list[ProposerOption]:
        return [ProposerOption(member_id=m, name=n) for m, n in await proposals.proposers()]

    @post("/", operation_id="FileProposal", summary="Record a proposal from the box (one member or several, jointly)")
    async def create(self, proposals: NamedDependency[ProposalService], data: JSONBody[ProposalCreate]) -> ProposalView:
        return await self._full(proposals, await proposals.create(data))

    @get("/", operation_id="ListProposals", summary="Proposals the caller may see, newest filed first")
    async def list_proposals(
        self,
        proposals: NamedDependency[ProposalService],
        status: Status = None,
        tier: TierFilter = None,
        community: Community = None,
        offset: Annotated[int, QueryParameter(name="offset", ge=0)] = 0,
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=200)] = 50,
    ) -> ProposalPage:
        rows, total = await proposals.page(status, tier, community, offset, limit)
        return ProposalPage(items=[proposal_view(p) for p in rows], total=total)

    @get(
        "/report",
        operation_id="ProposalClosureReport",
        summary="Closure rate (closed / filed) of the proposals filed in a period, per community or street",
    )
    async def report(
        self,
        closures: NamedDependency[ClosureReportService],
        start: FirstDay = None,
        end: LastDay = None,
        by: GroupBy = "community",
    ) -> ClosureReport:
        return await closures.report(start, end, by)

    @get("/{proposal_id:uuid}", operation_id="GetProposal", summary="One proposal with its seminars and history")
    async def get_proposal(
        self, proposals: NamedDependency[ProposalService], proposal_id: FromPath[UUID]
    ) -> ProposalView:
        return await self._full(proposals, await proposals.get(proposal_id))

    @post(
        "/{proposal_id:uuid}/classify", operation_id="ClassifyProposal", status_code=200, summary="Sort into a category"
    )
    async def classify(
        self, proposals: NamedDependency[ProposalService], proposal_id: FromPath[UUID], data: JSONBody[ProposalClassify]
    ) -> ProposalView:
        return await self._full(proposals, await proposals.classify(proposal_id, data))

    @post("/{proposal_id:uuid}/seminars", operation_id="RecordProposalSeminar", summary="Record the seminar held")
    async def seminar(
        self, proposals: NamedDependency[ProposalService], proposal_id: FromPath[UUID], data: JSONBody[SeminarCreate]
    ) -> ProposalView:
        proposal, _ = await proposals.add_seminar(proposal_id, data)
        return await self._full(proposals, proposal)

    @post(
        "/{proposal_id:uuid}/escalate",
        operation_id="EscalateProposal",
        status_code=200,
        summary="Send the proposal one tier up (community → street → district), saying why",
    )
    async def escalate(
        self, proposals: NamedDependency[ProposalService], proposal_id: FromPath[UUID], data: JSONBody[ProposalEscalate]
    ) -> ProposalView:
        return await self._full(proposals, await proposals.escalate(proposal_id, data))

    @post("/{proposal_id:uuid}/close", operation_id="CloseProposal", status_code=200, summary="Close a solved proposal")
    async def close(
        self, proposals: NamedDependency[ProposalService], proposal_id: FromPath[UUID], data: JSONBody[ProposalClose]
    ) -> ProposalView:
        return await self._full(proposals, await proposals.close(proposal_id, data))
