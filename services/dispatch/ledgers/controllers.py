"""Delegate and studio ledgers (DSP-30) and the requester scores per department (DSP-19) over HTTP, for staff."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import STAFF
from services.dispatch.ledgers.models import OpinionStatus
from services.dispatch.ledgers.schemas import (
    CollectorOption,
    LedgerDashboard,
    OpinionAnswer,
    OpinionCreate,
    OpinionEvaluate,
    OpinionFeedback,
    OpinionForward,
    OpinionPage,
    OpinionView,
    ScoresReport,
)
from services.dispatch.ledgers.scores import ScoresService
from services.dispatch.ledgers.services import LedgerService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

Status = Annotated[str | None, QueryParameter(name="status", pattern="^(" + "|".join(OpinionStatus) + ")$")]
Collector = Annotated[UUID | None, QueryParameter(name="collectorId")]
FirstDay = Annotated[str | None, QueryParameter(name="from", description="YYYY-MM-DD, first day of the period")]
LastDay = Annotated[str | None, QueryParameter(name="to", description="YYYY-MM-DD, last day of the period")]
OPINION = "/opinions/{opinion_id:uuid}"


class LedgerController(Controller):
    path = "/api/dispatch/ledgers"
    tags = ["Delegate ledgers"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"ledger": provide_service(LedgerService), "scores": provide_service(ScoresService)}

    @get("/collectors", operation_id="LedgerCollectors", summary="Studios and delegates (members) keeping ledgers")
    async def collectors(self, ledger: NamedDependency[LedgerService]) -> list[CollectorOption]:
        return [CollectorOption(id=p.id, name=p.name, kind=p.kind) for p in await ledger.collectors()]

    @post("/opinions", operation_id="CollectOpinion", summary="Record an opinion a delegate or studio collected")
    async def create(self, ledger: NamedDependency[LedgerService], data: JSONBody[OpinionCreate]) -> OpinionView:
        return view(OpinionView, await ledger.create(data))

    @get("/opinions", operation_id="ListOpinions", summary="The ledger's opinions, newest collected first")
    async def list_opinions(
        self,
        ledger: NamedDependency[LedgerService],
        collector: Collector = None,
        status: Status = None,
        offset: Annotated[int, QueryParameter(name="offset", ge=0)] = 0,
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=200)] = 50,
    ) -> OpinionPage:
        rows, total = await ledger.page(collector, status, offset, limit)
        return OpinionPage(items=[view(OpinionView, o) for o in rows], total=total)

    @get(OPINION, operation_id="GetOpinion", summary="One opinion with its handling")
    async def get_opinion(self, ledger: NamedDependency[LedgerService], opinion_id: FromPath[UUID]) -> OpinionView:
        return view(OpinionView, await ledger.get(opinion_id))

    @post(f"{OPINION}/forward", operation_id="ForwardOpinion", status_code=200, summary="Forward to a department")
    async def forward(
        self, ledger: NamedDependency[LedgerService], opinion_id: FromPath[UUID], data: JSONBody[OpinionForward]
    ) -> OpinionView:
        return view(OpinionView, await ledger.forward(opinion_id, data))

    @post(f"{OPINION}/answer", operation_id="AnswerOpinion", status_code=200, summary="The department's answer")
    async def answer(
        self, ledger: NamedDependency[LedgerService], opinion_id: FromPath[UUID], data: JSONBody[OpinionAnswer]
    ) -> OpinionView:
        return view(OpinionView, await ledger.answer(opinion_id, data))

    @post(f"{OPINION}/feedback", operation_id="FeedBackOpinion", status_code=200, summary="Feedback to the resident")
    async def feedback(
        self, ledger: NamedDependency[LedgerService], opinion_id: FromPath[UUID], data: JSONBody[OpinionFeedback]
    ) -> OpinionView:
        return view(OpinionView, await ledger.feed_back(opinion_id, data))

    @post(f"{OPINION}/evaluate", operation_id="EvaluateOpinion", status_code=200, summary="The delegate's evaluation")
    async def evaluate(
        self, ledger: NamedDependency[LedgerService], opinion_id: FromPath[UUID], data: JSONBody[OpinionEvaluate]
    ) -> OpinionView:
        return view(OpinionView, await ledger.evaluate(opinion_id, data))

    @get(
        "/dashboard", operation_id="LedgerDashboard", summary="Opinions collected in a period: % forwarded, % answered"
    )
    async def dashboard(
        self, ledger: NamedDependency[LedgerService], start: FirstDay = None, end: LastDay = None
    ) -> LedgerDashboard:
        return await ledger.dashboard(start, end)

    @get(
        "/scores",
        operation_id="RequesterScoresPerDepartment",
        summary="The served people's four scores averaged per handling department for a period (DSP-19)",
    )
    async def scores(
        self, scores: NamedDependency[ScoresService], start: FirstDay = None, end: LastDay = None
    ) -> ScoresReport:
        return await scores.report(start, end)
