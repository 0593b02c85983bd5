"""The secretary duty reviews' API (TRN-12): the district's monthly count, rounds drawn by organisers, each drawn
secretary's review (organisers edit; the secretary reads their own), and the anonymous poll members vote in."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.training.access import ATTENDEES, ORGANISERS, READERS
from services.training.paging import Cursor, Limit
from services.training.reviews.duty import ReviewService
from services.training.reviews.poll import PollService
from services.training.reviews.rounds import RoundService
from services.training.reviews.schemas import (
    PollView,
    QuestionView,
    QuestionWrite,
    ReviewPatch,
    ReviewView,
    RoundCreate,
    RoundsPage,
    RoundView,
    SettingsView,
    SettingsWrite,
    VoteWrite,
)
from services.training.reviews.views import poll_view, review_view, round_view
from shared.auth.principal import Role
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

MonthQuery = Annotated[
    str | None, QueryParameter(name="month", pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="2026-11")
]
ORGANISER = [requires_role(*ORGANISERS)]


class DutyReviewController(Controller):
    path = "/api/training"
    tags = ["Secretary duty reviews"]
    guards = [requires_tenant]
    dependencies = {
        "rounds": provide_service(RoundService),
        "reviews": provide_service(ReviewService),
        "polls": provide_service(PollService),
    }

    @get(
        "/duty-review-settings",
        operation_id="GetDutyReviewSettings",
        summary="How many secretaries a round draws by default",
        guards=[requires_role(*READERS)],
    )
    async def get_settings(self, rounds: NamedDependency[RoundService]) -> SettingsView:
        return SettingsView(monthly_count=await rounds.monthly_count())

    @put(
        "/duty-review-settings",
        operation_id="PutDutyReviewSettings",
        summary="Set the monthly count (district administrators)",
        guards=[requires_role(Role.DISTRICT_ADMIN)],
    )
    async def put_settings(self, rounds: NamedDependency[RoundService], data: JSONBody[SettingsWrite]) -> SettingsView:
        return SettingsView(monthly_count=await rounds.set_monthly_count(data.monthly_count))

    @get(
        "/duty-review-rounds",
        operation_id="ListDutyReviewRounds",
        summary="Rounds of units under my scope, newest first",
        guards=ORGANISER,
    )
    async def list_rounds(
        self, rounds: NamedDependency[RoundService], month: MonthQuery = None, cursor: Cursor = None, limit: Limit = 50
    ) -> RoundsPage:
        found, following = await rounds.page(month=month, cursor=cursor, limit=limit)
        reviews = await rounds.reviews_of(found)
        voters = await rounds.voters([r for rs in reviews.values() for r in rs])
        return RoundsPage(items=[round_view(r, reviews[r.id], voters) for r in found], next=following)

    @post(
        "/duty-review-rounds",
        operation_id="DrawDutyReviewRound",
        summary="Draw the month's secretaries under a unit at random (not those drawn the month before)",
        guards=ORGANISER,
    )
    async def draw(self, rounds: NamedDependency[RoundService], data: JSONBody[RoundCreate]) -> RoundView:
        row, reviews = await rounds.create(data)
        return round_view(row, sorted(reviews, key=lambda r: (r.secretary_name, str(r.id))), {})

    @get("/duty-review-rounds/{round_id:uuid}", operation_id="GetDutyReviewRound", summary="A round", guards=ORGANISER)
    async def get_round(self, rounds: NamedDependency[RoundService], round_id: FromPath[UUID]) -> RoundView:
        row = await rounds.get(round_id)
        reviews = (await rounds.reviews_of([row]))[row.id]
        return round_view(row, reviews, await rounds.voters(reviews))

    @get(
        "/duty-reviews/mine",
        operation_id="ListMyDutyReviews",
        summary="The reviews of me as a secretary",
    )
    async def mine(
        self, rounds: NamedDependency[RoundService], reviews: NamedDependency[ReviewService]
    ) -> list[ReviewView]:
        found = await reviews.mine()
        voters = await rounds.voters([r for r, _ in found])
        return [await review_view(reviews, r, rd, voters.get(r.id, 0)) for r, rd in found]

    async def _review(self, rounds: RoundService, reviews: ReviewService, review_id: UUID) -> ReviewView:
        review, round_ = await reviews.get(review_id)
        voters = await rounds.voters([review])
        return await review_view(reviews, review, round_, voters.get(review.id, 0))

    @get(
        "/duty-reviews/{review_id:uuid}",
        operation_id="GetDutyReview",
        summary="A secretary's review with its questions and the poll's tallies (organisers; the secretary)",
    )
    async def get_review(
        self,
        rounds: NamedDependency[RoundService],
        reviews: NamedDependency[ReviewService],
        review_id: FromPath[UUID],
    ) -> ReviewView:
        return await self._review(rounds, reviews, review_id)

    @patch(
        "/duty-reviews/{review_id:uuid}",
        operation_id="UpdateDutyReview",
        summary="Questionnaire results, the report and its length, the conclusion (409 once finalised)",
        guards=ORGANISER,
    )
    async def update(
        self,
        rounds: NamedDependency[RoundService],
        reviews: NamedDependency[ReviewService],
        review_id: FromPath[UUID],
        data: JSONBody[ReviewPatch],
    ) -> ReviewView:
        await reviews.update(review_id, data)
        return await self._review(rounds, reviews, review_id)

    @post(
        "/duty-reviews/{review_id:uuid}/questions",
        operation_id="AskDutyReviewQuestion",
        summary="A question of the list and the secretary's answer",
        guards=ORGANISER,
    )
    async def ask(
        self, reviews: NamedDependency[ReviewService], review_id: FromPath[UUID], data: JSONBody[QuestionWrite]
    ) -> QuestionView:
        return view(QuestionView, await reviews.ask(review_id, data))

    @post(
        "/duty-reviews/{review_id:uuid}/poll",
        operation_id="OpenDutyReviewPoll",
        summary="Open the anonymous poll",
        guards=ORGANISER,
        status_code=200,
    )
    async def open_poll(
        self,
        rounds: NamedDependency[RoundService],
        reviews: NamedDependency[ReviewService],
        review_id: FromPath[UUID],
    ) -> ReviewView:
        await reviews.open_poll(review_id)
        return await self._review(rounds, reviews, review_id)

    @post(
        "/duty-reviews/{review_id:uuid}/finalise",
        operation_id="FinaliseDutyReview",
        summary="Close the poll and fix the review report (a conclusion is needed: 422 otherwise)",
        guards=ORGANISER,
        status_code=200,
    )
    async def finalise(
        self,
        rounds: NamedDependency[RoundService],
        reviews: NamedDependency[ReviewService],
        review_id: FromPath[UUID],
    ) -> ReviewView:
        await reviews.finalise(review_id)
        return await self._review(rounds, reviews, review_id)

    @get(
        "/duty-polls",
        operation_id="ListDutyPolls",
        summary="Open polls I may vote in (members under the round's unit)",
        guards=[requires_role(*ATTENDEES)],
    )
    async def polls(self, polls: NamedDependency[PollService]) -> list[PollView]:
        return [poll_view(r, rd, voted) for r, rd, voted in await polls.open_polls()]

    @get(
        "/duty-reviews/{review_id:uuid}/poll",
        operation_id="GetDutyPoll",
        summary="A poll as a voter sees it",
        guards=[requires_role(*ATTENDEES)],
    )
    async def poll(self, polls: NamedDependency[PollService], review_id: FromPath[UUID]) -> PollView:
        return poll_view(*await polls.poll(review_id))

    @post(
        "/duty-reviews/{review_id:uuid}/poll/votes",
        operation_id="VoteInDutyPoll",
        summary="Vote once, anonymously: a grade (good, fairly_good, average, poor) for each of the seven aspects",
        guards=[requires_role(*ATTENDEES)],
    )
    async def vote(
        self, polls: NamedDependency[PollService], review_id: FromPath[UUID], data: JSONBody[VoteWrite]
    ) -> Response[PollView]:
        await polls.vote(review_id, data.grades)
        return Response(poll_view(*await polls.poll(review_id)), status_code=201)
