"""Rounds, reviews and polls as the API shows them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from services.training.reviews.aspects import ASPECTS, GRADES
from services.training.reviews.duty import ReviewService
from services.training.reviews.models import DutyReview, ReviewRound, ReviewState
from services.training.reviews.poll import tallies
from services.training.reviews.schemas import PollView, QuestionView, ReviewSummary, ReviewView, RoundView
from shared.http.views import view, views

REPORT_SECONDS = 8 * 60  # the report's allotted time (001/FZ)


def score(review: DutyReview) -> float | None:
    return float(review.questionnaire_score) if review.questionnaire_score is not None else None


def round_view(row: ReviewRound, reviews: Sequence[DutyReview], voters: Mapping[UUID, int]) -> RoundView:
    return view(
        RoundView,
        row,
        finished=bool(reviews) and all(r.state == ReviewState.FINALISED for r in reviews),
        reviews=[view(ReviewSummary, r, questionnaire_score=score(r), voters=voters.get(r.id, 0)) for r in reviews],
    )


async def review_view(service: ReviewService, review: DutyReview, round_: ReviewRound, voters: int) -> ReviewView:
    return view(
        ReviewView,
        review,
        month=round_.month,
        unit_name=round_.unit_name,
        questionnaire_score=score(review),
        over_time=review.report_seconds is not None and review.report_seconds > REPORT_SECONDS,
        questions=views(QuestionView, await service.questions(review)),
        voters=voters,
        tallies=await tallies(service.session, review, voters),
    )


def poll_view(review: DutyReview, round_: ReviewRound, voted: bool) -> PollView:
    return PollView(
        review_id=review.id,
        month=round_.month,
        unit_name=round_.unit_name,
        secretary_name=review.secretary_name,
        open=review.state == ReviewState.POLLING,
        voted=voted,
        aspects=list(ASPECTS),
        grades=list(GRADES),
    )
