"""Red Flag Community evaluations' API (TRN-14): each step by its role, within the caller's scope."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.training.access import ORGANISERS
from services.training.paging import Cursor, Limit
from services.training.redflag.models import EvaluationState, RedFlagEvaluation
from services.training.redflag.schemas import (
    AcceptanceWrite,
    ApplyWrite,
    DecisionWrite,
    EvaluationCreate,
    EvaluationsPage,
    EvaluationSummary,
    EvaluationView,
    RecommendWrite,
    ReturnWrite,
    SelfCheckWrite,
    StepView,
)
from services.training.redflag.services import EvaluationService
from services.training.redflag.workflow import DISTRICT, STREET
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views

YearQuery = Annotated[str | None, QueryParameter(name="year", pattern=r"^20\d{2}$", description="2026")]
StateQuery = Annotated[
    EvaluationState | None, QueryParameter(name="state", description="self_check, applied, returned, ...")
]
EVALUATIONS = "/red-flag-evaluations"
ONE = EVALUATIONS + "/{evaluation_id:uuid}"


def _scores(row: RedFlagEvaluation) -> dict[str, Any]:
    return {
        name: float(value) if value is not None else None
        for name, value in (
            ("self_score", row.self_score),
            ("street_score", row.street_score),
            ("acceptance_score", row.acceptance_score),
        )
    }


def summary(row: RedFlagEvaluation) -> EvaluationSummary:
    return view(EvaluationSummary, row, **_scores(row))


async def full(service: EvaluationService, row: RedFlagEvaluation) -> EvaluationView:
    return view(EvaluationView, row, **_scores(row), steps=views(StepView, await service.steps(row)))


class RedFlagController(Controller):
    path = "/api/training"
    tags = ["Red Flag Communities"]
    guards = [requires_tenant, requires_role(*ORGANISERS)]
    dependencies = {"evaluations": provide_service(EvaluationService)}

    @get(EVALUATIONS, operation_id="ListRedFlagEvaluations", summary="Evaluations of communities under my scope")
    async def list_evaluations(
        self,
        evaluations: NamedDependency[EvaluationService],
        year: YearQuery = None,
        state_filter: StateQuery = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> EvaluationsPage:
        found, following = await evaluations.page(year=year, state=state_filter, cursor=cursor, limit=limit)
        return EvaluationsPage(items=[summary(r) for r in found], next=following)

    @post(EVALUATIONS, operation_id="CreateRedFlagEvaluation", summary="Open a community's evaluation for a year")
    async def create(
        self, evaluations: NamedDependency[EvaluationService], data: JSONBody[EvaluationCreate]
    ) -> EvaluationView:
        return await full(evaluations, await evaluations.create(data))

    @get(ONE, operation_id="GetRedFlagEvaluation", summary="An evaluation with its steps")
    async def get_evaluation(
        self, evaluations: NamedDependency[EvaluationService], evaluation_id: FromPath[UUID]
    ) -> EvaluationView:
        return await full(evaluations, await evaluations.get(evaluation_id))

    @patch(
        ONE + "/self-check",
        operation_id="RecordRedFlagSelfCheck",
        summary="The community's self-check: its score and findings (before applying, or after a return)",
    )
    async def self_check(
        self,
        evaluations: NamedDependency[EvaluationService],
        evaluation_id: FromPath[UUID],
        data: JSONBody[SelfCheckWrite],
    ) -> EvaluationView:
        return await full(evaluations, await evaluations.self_check(evaluation_id, data))

    @post(
        ONE + "/apply",
        operation_id="ApplyForRedFlag",
        summary="The community applies (its self-check complete: 422 otherwise)",
        status_code=200,
    )
    async def apply(
        self, evaluations: NamedDependency[EvaluationService], evaluation_id: FromPath[UUID], data: JSONBody[ApplyWrite]
    ) -> EvaluationView:
        return await full(evaluations, await evaluations.apply(evaluation_id, data))

    @post(
        ONE + "/recommend",
        operation_id="RecommendForRedFlag",
        summary="The street evaluates and recommends the community to the district (street admins of its street)",
        guards=[requires_role(*STREET)],
        status_code=200,
    )
    async def recommend(
        self,
        evaluations: NamedDependency[EvaluationService],
        evaluation_id: FromPath[UUID],
        data: JSONBody[RecommendWrite],
    ) -> EvaluationView:
        return await full(evaluations, await evaluations.recommend(evaluation_id, data))

    @post(
        ONE + "/return",
        operation_id="ReturnRedFlagApplication",
        summary="The street sends the application back with its reason",
        guards=[requires_role(*STREET)],
        status_code=200,
    )
    async def send_back(
        self,
        evaluations: NamedDependency[EvaluationService],
        evaluation_id: FromPath[UUID],
        data: JSONBody[ReturnWrite],
    ) -> EvaluationView:
        return await full(evaluations, await evaluations.send_back(evaluation_id, data))

    @post(
        ONE + "/acceptance",
        operation_id="RecordRedFlagAcceptance",
        summary="The district's acceptance: site visit, document review, interviews and its score",
        guards=[requires_role(*DISTRICT)],
        status_code=200,
    )
    async def accept(
        self,
        evaluations: NamedDependency[EvaluationService],
        evaluation_id: FromPath[UUID],
        data: JSONBody[AcceptanceWrite],
    ) -> EvaluationView:
        return await full(evaluations, await evaluations.accept(evaluation_id, data))

    @post(
        ONE + "/decision",
        operation_id="DecideRedFlag",
        summary="Award the title (TitleAwarded: orgtree records it) or refuse; recommend to the city",
        guards=[requires_role(*DISTRICT)],
        status_code=200,
    )
    async def decide(
        self,
        evaluations: NamedDependency[EvaluationService],
        evaluation_id: FromPath[UUID],
        data: JSONBody[DecisionWrite],
    ) -> EvaluationView:
        return await full(evaluations, await evaluations.decide(evaluation_id, data))
