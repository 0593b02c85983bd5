"""Red Flag Community evaluations (TRN-14): created for a community and year, the community's self-check and
application, the street's recommendation or return, the district's acceptance and decision. The award goes through
the titles' ``AwardService`` (``TitleAwarded``: orgtree records 红旗社区 on the community)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.paging import page
from services.training.ratings.awards import AwardService
from services.training.ratings.schemas import AwardCreate, Subject
from services.training.redflag.models import (
    ONE_EVALUATION_PER_YEAR,
    EvaluationState,
    EvaluationStep,
    RedFlagEvaluation,
)
from services.training.redflag.schemas import (
    AcceptanceWrite,
    ApplyWrite,
    DecisionWrite,
    EvaluationCreate,
    RecommendWrite,
    ReturnWrite,
    SelfCheckWrite,
)
from services.training.redflag.workflow import refusal
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.paths import under
from shared.db.repository import Keyset, Repository
from shared.http.problems import FieldErrors, conflict, invalid

RED_FLAG_TITLE = "red_flag_community"  # the title code of 红旗社区 (ratings/defaults.py TITLES)
NEWEST_FIRST = Keyset(RedFlagEvaluation.updated_at, RedFlagEvaluation.id, descending=True, parse=datetime.fromisoformat)


class EvaluationRepository(Repository[RedFlagEvaluation]):
    model_type = RedFlagEvaluation
    noun = "red flag evaluation"


def _score(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2)))


class EvaluationService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        evaluations: EvaluationRepository,
        awards: AwardService,
    ) -> None:
        self.session = session
        self.principal = principal
        self.evaluations = evaluations
        self.awards = awards

    def visible(self, row: RedFlagEvaluation) -> bool:
        return self.principal.may_see_path(row.unit_path)

    async def get(self, evaluation_id: UUID, *, for_update: bool = False) -> RedFlagEvaluation:
        return await self.evaluations.get_or_404(evaluation_id, for_update=for_update, visible=self.visible)

    async def steps(self, row: RedFlagEvaluation) -> list[EvaluationStep]:
        found = await self.session.scalars(
            select(EvaluationStep)
            .where(EvaluationStep.evaluation_id == row.id)
            .order_by(EvaluationStep.taken_at, EvaluationStep.id)
        )
        return list(found)

    async def page(
        self, *, year: str | None, state: str | None, cursor: str | None, limit: int
    ) -> tuple[list[RedFlagEvaluation], str | None]:
        query = select(RedFlagEvaluation)
        if self.principal.scope is not None:
            query = query.where(under(RedFlagEvaluation.unit_path, self.principal.scope))
        if year is not None:
            query = query.where(RedFlagEvaluation.year == year)
        if state is not None:
            query = query.where(RedFlagEvaluation.state == state)
        return await page(self.evaluations, query, NEWEST_FIRST, cursor=cursor, limit=limit)

    def _step(self, row: RedFlagEvaluation, action: str, note: str = "") -> None:
        self.session.add(
            EvaluationStep(
                evaluation_id=row.id,
                action=action,
                state=row.state,
                note=note,
                taken_by=self.principal.user_id,
                taken_by_name=self.principal.name,
                taken_at=now(),
            )
        )

    async def _audit(self, row: RedFlagEvaluation, action: str) -> None:
        await audit.record(
            self.session,
            f"training.red_flag.{action}",
            subject_type="red_flag_evaluation",
            subject_id=str(row.id),
            detail={"state": row.state, "year": row.year},
        )

    async def create(self, data: EvaluationCreate) -> RedFlagEvaluation:
        if not self.principal.may_see_path(data.unit_path):
            raise invalid("unitPath", f"a community under your scope {self.principal.scope}")
        row = RedFlagEvaluation(
            unit_id=data.unit_id,
            unit_path=data.unit_path,
            unit_name=data.unit_name.strip(),
            year=data.year,
            state=EvaluationState.SELF_CHECK,
            created_by=self.principal.user_id,
            created_by_name=self.principal.name,
        )
        self.session.add(row)
        try:
            async with self.session.begin_nested():
                await self.session.flush()
        except IntegrityError as clash:
            if ONE_EVALUATION_PER_YEAR in str(clash.orig):
                raise conflict(f"{data.unit_name.strip()} already has a red flag evaluation for {data.year}") from None
            raise
        self._step(row, "create")
        await self._audit(row, "created")
        return row

    async def _taking(self, evaluation_id: UUID, action: str) -> RedFlagEvaluation:
        row = await self.get(evaluation_id, for_update=True)
        why = refusal(action, row.state)
        if why is not None:
            raise conflict(why)
        return row

    async def _moved(self, row: RedFlagEvaluation, action: str, state: EvaluationState, note: str) -> None:
        row.state = state
        self._step(row, action, note)
        await self.session.flush()
        await self._audit(row, action)

    async def self_check(self, evaluation_id: UUID, data: SelfCheckWrite) -> RedFlagEvaluation:
        row = await self._taking(evaluation_id, "self_check")
        if data.self_score is not None:
            row.self_score = _score(data.self_score)
        if data.self_check_note is not None:
            row.self_check_note = data.self_check_note.strip()
        await self.session.flush()
        return row

    async def apply(self, evaluation_id: UUID, data: ApplyWrite) -> RedFlagEvaluation:
        row = await self._taking(evaluation_id, "apply")
        errors = FieldErrors()
        if row.self_score is None:
            errors.add("selfScore", "the self-check's score is needed before applying")
        if not row.self_check_note:
            errors.add("selfCheckNote", "the self-check's findings are needed before applying")
        errors.raise_if_any("the self-check is not complete")
        row.application_note = data.application_note.strip()
        await self._moved(row, "apply", EvaluationState.APPLIED, row.application_note)
        return row

    async def recommend(self, evaluation_id: UUID, data: RecommendWrite) -> RedFlagEvaluation:
        row = await self._taking(evaluation_id, "recommend")
        row.street_score = _score(data.street_score)
        row.street_opinion = data.street_opinion.strip()
        await self._moved(row, "recommend", EvaluationState.RECOMMENDED, row.street_opinion)
        return row

    async def send_back(self, evaluation_id: UUID, data: ReturnWrite) -> RedFlagEvaluation:
        row = await self._taking(evaluation_id, "return")
        row.returned_reason = data.reason.strip()
        await self._moved(row, "return", EvaluationState.RETURNED, row.returned_reason)
        return row

    async def accept(self, evaluation_id: UUID, data: AcceptanceWrite) -> RedFlagEvaluation:
        row = await self._taking(evaluation_id, "accept")
        row.site_visit_note = data.site_visit_note.strip()
        row.document_review_note = data.document_review_note.strip()
        row.interviews_note = data.interviews_note.strip()
        row.acceptance_score = _score(data.acceptance_score)
        await self._moved(row, "accept", EvaluationState.ACCEPTED, "")
        return row

    async def decide(self, evaluation_id: UUID, data: DecisionWrite) -> RedFlagEvaluation:
        row = await self._taking(evaluation_id, "decide")
        if data.outcome == "refuse" and data.recommend_to_city:
            raise invalid("recommendToCity", "only an awarded community is recommended to the city")
        row.decision_reason = data.reason.strip()
        row.recommended_to_city = data.recommend_to_city
        row.decided_at = now()
        if data.outcome == "award":
            if row.unit_id is None:
                raise conflict(f"{row.unit_name} is a demo sample without an orgtree unit: no title can be recorded")
            award = await self.awards.award(
                AwardCreate(
                    title=RED_FLAG_TITLE,
                    subject=Subject(unit_id=row.unit_id, unit_path=row.unit_path, unit_name=row.unit_name),
                    period=row.year,
                    note=row.decision_reason[:500],
                )
            )
            row.award_id = award.id
            await self._moved(row, "decide", EvaluationState.AWARDED, row.decision_reason)
        else:
            await self._moved(row, "decide", EvaluationState.REFUSED, row.decision_reason)
        return row
