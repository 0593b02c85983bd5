"""The anonymous poll (民主测评, 无记名划票): members of the round's unit grade the secretary on seven aspects, once
each. The vote adds the voter to the register and increments seven counters; neither table can say who gave
which grade (see ``models``). The secretary reviewed does not vote in their own poll."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from sqlalchemy import case, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.people.models import Person
from services.training.reviews.aspects import ASPECTS, GRADES
from services.training.reviews.models import DutyReview, PollTally, PollVoter, ReviewRound, ReviewState
from services.training.reviews.schemas import Tally
from shared import audit
from shared.auth.principal import Principal
from shared.http.problems import FieldErrors, ProblemError, conflict, missing

ALREADY_VOTED = "you have already voted in this poll: each voter votes once"
SHOWN_FROM_VOTERS = 3


def check_grades(grades: Mapping[str, Any]) -> FieldErrors:
    errors = FieldErrors()
    for aspect in ASPECTS:
        grade = grades.get(aspect)
        if grade is None:
            errors.add(f"body.grades.{aspect}", "grade every aspect")
        elif not isinstance(grade, str) or grade not in GRADES:
            errors.add(f"body.grades.{aspect}", f"one of: {', '.join(GRADES)}")
    for aspect in grades:
        if aspect not in ASPECTS:
            errors.add(f"body.grades.{aspect}", f"not an aspect of the poll: {', '.join(ASPECTS)}")
    return errors


class PollService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def _me(self) -> Person | None:
        found: Person | None = await self.session.scalar(select(Person).where(Person.user_id == self.principal.user_id))
        return found

    async def _ballot(self, review_id: UUID, *, for_update: bool = False) -> tuple[DutyReview, ReviewRound]:
        """The review if the caller is a member under its round's unit; else the district's 404."""
        review = await self.session.get(DutyReview, review_id, with_for_update=for_update or None)
        me = await self._me()
        if review is None or me is None:
            raise missing("duty review poll")
        round_ = await self.session.get(ReviewRound, review.round_id)
        assert round_ is not None
        paths = (me.branch_path, me.grid_path)
        if not any(p is not None and p.startswith(round_.unit_path) for p in paths):
            raise missing("duty review poll")
        return review, round_

    async def voted(self, review_id: UUID) -> bool:
        return (
            await self.session.scalar(
                select(PollVoter.voter_id).where(
                    PollVoter.review_id == review_id, PollVoter.voter_id == self.principal.user_id
                )
            )
        ) is not None

    async def poll(self, review_id: UUID) -> tuple[DutyReview, ReviewRound, bool]:
        review, round_ = await self._ballot(review_id)
        return review, round_, await self.voted(review.id)

    async def open_polls(self) -> list[tuple[DutyReview, ReviewRound, bool]]:
        """The open polls of rounds whose unit holds the caller's branch or grid."""
        me = await self._me()
        if me is None:
            return []
        rows = await self.session.execute(
            select(DutyReview, ReviewRound)
            .join(ReviewRound, ReviewRound.id == DutyReview.round_id)
            .where(DutyReview.state == ReviewState.POLLING)
            .order_by(ReviewRound.month.desc(), DutyReview.secretary_name)
        )
        found = []
        for review, round_ in rows.all():
            if any(p is not None and p.startswith(round_.unit_path) for p in (me.branch_path, me.grid_path)):
                found.append((review, round_, await self.voted(review.id)))
        return found

    async def vote(self, review_id: UUID, grades: Mapping[str, Any]) -> None:
        review, _ = await self._ballot(review_id)
        errors = check_grades(grades)
        errors.raise_if_any("the vote is invalid")
        if review.state != ReviewState.POLLING:
            raise conflict(f"the poll is not open (the review is {review.state})")
        me = await self._me()
        if me is not None and me.id == review.person_id:
            raise conflict("the secretary reviewed does not vote in their own poll")
        # the register's key decides two votes at once: the second inserts nothing and is refused
        registered = await self.session.scalar(
            insert(PollVoter)
            .values(review_id=review.id, voter_id=self.principal.user_id)
            .on_conflict_do_nothing()
            .returning(PollVoter.voter_id)
        )
        if registered is None:
            raise ProblemError(422, ALREADY_VOTED, errors=[{"field": "body.grades", "message": ALREADY_VOTED}])
        # every counter of the review is written, the chosen ones +1 and the rest +0: a row's system columns (its
        # xmin, the transaction that wrote it) then say that someone voted, never which grades moved
        chosen = case(*((PollTally.aspect == a, PollTally.grade == grades[a]) for a in ASPECTS), else_=False)
        await self.session.execute(
            update(PollTally)
            .where(PollTally.review_id == review.id)
            .values(votes=PollTally.votes + case((chosen, 1), else_=0))
        )
        # who voted is known (the register); the audit entry says no more than that
        await audit.record(
            self.session, "training.duty_review.voted", subject_type="duty_review", subject_id=str(review.id)
        )


async def tallies(session: AsyncSession, review: DutyReview, voters: int) -> list[Tally]:
    """The counters per aspect; none while fewer than ``SHOWN_FROM_VOTERS`` have voted: one or two voters' grades
    could be read off them by whoever knows who voted."""
    if voters < SHOWN_FROM_VOTERS:
        return []
    counts = {
        (aspect, grade): votes
        for aspect, grade, votes in (
            await session.execute(
                select(PollTally.aspect, PollTally.grade, PollTally.votes).where(PollTally.review_id == review.id)
            )
        )
    }
    return [Tally(aspect=a, **{g: counts.get((a, g), 0) for g in GRADES}) for a in ASPECTS]
