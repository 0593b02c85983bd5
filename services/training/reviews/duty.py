"""One drawn secretary's review: the organisers of the round's unit enter the questionnaire results, the report and
the question list, open the poll and finalise with their conclusion; the secretary reads their own review."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.access import ORGANISERS
from services.training.people.models import Person
from services.training.reviews.aspects import ASPECTS, GRADES
from services.training.reviews.models import (
    DutyReview,
    PollTally,
    ReviewQuestion,
    ReviewRound,
    ReviewState,
)
from services.training.reviews.schemas import QuestionWrite, ReviewPatch
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.repository import Repository
from shared.http.problems import conflict, invalid, missing


class ReviewRepository(Repository[DutyReview]):
    model_type = DutyReview
    noun = "duty review"


class ReviewService:
    def __init__(self, session: AsyncSession, principal: Principal, reviews: ReviewRepository) -> None:
        self.session = session
        self.principal = principal
        self.reviews = reviews

    async def round_of(self, review: DutyReview) -> ReviewRound:
        found = await self.session.get(ReviewRound, review.round_id)
        assert found is not None  # the foreign key
        return found

    async def _secretary_is_me(self, review: DutyReview) -> bool:
        if review.person_id is None:
            return False
        return bool(
            await self.session.scalar(
                select(func.count())
                .select_from(Person)
                .where(Person.id == review.person_id, Person.user_id == self.principal.user_id)
            )
        )

    async def get(self, review_id: UUID, *, for_update: bool = False) -> tuple[DutyReview, ReviewRound]:
        """For the organisers whose scope holds the round's unit, and the secretary reviewed; else the 404."""
        review = await self.reviews.get_or_404(review_id, for_update=for_update)
        round_ = await self.round_of(review)
        organiser = self.principal.has_role(*ORGANISERS) and self.principal.may_see_path(round_.unit_path)
        if not organiser and not await self._secretary_is_me(review):
            raise missing(self.reviews.noun)
        return review, round_

    async def _editable(self, review_id: UUID) -> tuple[DutyReview, ReviewRound]:
        review, round_ = await self.get(review_id, for_update=True)
        if not self.principal.has_role(*ORGANISERS):
            raise missing(self.reviews.noun)
        if review.state == ReviewState.FINALISED:
            raise conflict("the review is finalised: nothing in it changes any more")
        return review, round_

    async def mine(self) -> list[tuple[DutyReview, ReviewRound]]:
        rows = await self.session.execute(
            select(DutyReview, ReviewRound)
            .join(ReviewRound, ReviewRound.id == DutyReview.round_id)
            .join(Person, Person.id == DutyReview.person_id)
            .where(Person.user_id == self.principal.user_id)
            .order_by(ReviewRound.month.desc(), DutyReview.id)
        )
        return [(review, round_) for review, round_ in rows.all()]

    async def update(self, review_id: UUID, data: ReviewPatch) -> tuple[DutyReview, ReviewRound]:
        review, round_ = await self._editable(review_id)
        for name in (
            "questionnaire_score",
            "questionnaire_count",
            "questionnaire_note",
            "report_note",
            "report_seconds",
            "conclusion",
        ):
            value = getattr(data, name)
            if isinstance(value, float):
                value = Decimal(str(value))
            if value is not None:
                setattr(review, name, value.strip() if isinstance(value, str) else value)
        await self.session.flush()
        await self.session.refresh(review)
        await audit.record(
            self.session, "training.duty_review.updated", subject_type="duty_review", subject_id=str(review.id)
        )
        return review, round_

    async def questions(self, review: DutyReview) -> list[ReviewQuestion]:
        return list(
            await self.session.scalars(
                select(ReviewQuestion).where(ReviewQuestion.review_id == review.id).order_by(ReviewQuestion.position)
            )
        )

    async def ask(self, review_id: UUID, data: QuestionWrite) -> ReviewQuestion:
        review, _ = await self._editable(review_id)
        last = await self.session.scalar(
            select(func.max(ReviewQuestion.position)).where(ReviewQuestion.review_id == review.id)
        )
        question = ReviewQuestion(
            review_id=review.id,
            position=(last or 0) + 1,
            kind=data.kind,
            question=data.question.strip(),
            answer=data.answer.strip(),
            asked_by_name=self.principal.name,
        )
        self.session.add(question)
        await self.session.flush()
        return question

    async def open_poll(self, review_id: UUID) -> tuple[DutyReview, ReviewRound]:
        review, round_ = await self._editable(review_id)
        if review.state == ReviewState.POLLING:
            return review, round_
        await self.session.execute(
            insert(PollTally),
            [{"review_id": review.id, "aspect": a, "grade": g, "votes": 0} for a in ASPECTS for g in GRADES],
        )
        review.state = ReviewState.POLLING
        review.poll_opened_at = now()
        await self.session.flush()
        await audit.record(
            self.session, "training.duty_review.poll_opened", subject_type="duty_review", subject_id=str(review.id)
        )
        return review, round_

    async def finalise(self, review_id: UUID) -> tuple[DutyReview, ReviewRound]:
        """The 点评报告: the poll closes and the conclusion is fixed; a conclusion is needed first."""
        review, round_ = await self._editable(review_id)
        if not review.conclusion.strip():
            raise invalid("conclusion", "write the organiser's conclusion before finalising the review")
        review.state = ReviewState.FINALISED
        review.finalised_at = now()
        review.finalised_by_name = self.principal.name
        await self.session.flush()
        await self.session.refresh(review)
        await audit.record(
            self.session, "training.duty_review.finalised", subject_type="duty_review", subject_id=str(review.id)
        )
        return review, round_
