"""Duty review rounds: an organiser draws the month's secretaries under a unit of their scope. Eligible: active
people on record with the ``secretary`` duty (from orgtree's cadre postings) whose branch lies under the unit, less
those drawn in any round of the month before (a secretary is not drawn twice in a row)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.paging import page
from services.training.people.models import Duty, Person
from services.training.reviews.models import (
    ONE_ROUND_PER_UNIT_MONTH,
    DutyReview,
    PollVoter,
    ReviewRound,
    ReviewSettings,
    ReviewState,
)
from services.training.reviews.schemas import RoundCreate
from services.training.reviews.selection import draw, new_seed, previous_month
from shared import audit
from shared.auth.principal import Principal
from shared.context import require_tenant
from shared.db.paths import under
from shared.db.repository import Keyset, Repository
from shared.http.problems import conflict, invalid

DEFAULT_MONTHLY_COUNT = 5
NEWEST_FIRST = Keyset(ReviewRound.created_at, ReviewRound.id, descending=True, parse=datetime.fromisoformat)


class RoundRepository(Repository[ReviewRound]):
    model_type = ReviewRound
    noun = "duty review round"


class RoundService:
    def __init__(self, session: AsyncSession, principal: Principal, rounds: RoundRepository) -> None:
        self.session = session
        self.principal = principal
        self.rounds = rounds

    async def monthly_count(self) -> int:
        row = await self.session.get(ReviewSettings, require_tenant())
        return row.monthly_count if row is not None else DEFAULT_MONTHLY_COUNT

    async def set_monthly_count(self, count: int) -> int:
        row = await self.session.get(ReviewSettings, require_tenant())
        if row is None:
            self.session.add(ReviewSettings(monthly_count=count))
        else:
            row.monthly_count = count
        await self.session.flush()
        await audit.record(self.session, "training.duty_review.settings", detail={"monthlyCount": count})
        return count

    def visible(self, row: ReviewRound) -> bool:
        return self.principal.may_see_path(row.unit_path)

    async def get(self, round_id: UUID) -> ReviewRound:
        return await self.rounds.get_or_404(round_id, visible=self.visible)

    async def create(self, data: RoundCreate) -> tuple[ReviewRound, list[DutyReview]]:
        if not self.principal.may_see_path(data.unit_path):
            raise invalid("unitPath", f"draw secretaries of units under your scope {self.principal.scope}")
        count = data.count or await self.monthly_count()
        last_month = set(
            await self.session.scalars(
                select(DutyReview.person_id)
                .join(ReviewRound, ReviewRound.id == DutyReview.round_id)
                .where(ReviewRound.month == previous_month(data.month), DutyReview.person_id.is_not(None))
            )
        )
        secretaries = list(
            await self.session.scalars(
                select(Person).where(
                    Person.duties.contains([Duty.SECRETARY]),
                    Person.active.is_(True),
                    under(Person.branch_path, data.unit_path),
                )
            )
        )
        candidates = [p for p in secretaries if p.id not in last_month]
        if not candidates:
            raise invalid("unitPath", "no branch secretary under this unit who was not drawn last month is on record")
        seed = new_seed()
        drawn = draw([p.id for p in candidates], seed, count)
        by_id = {p.id: p for p in candidates}
        row = ReviewRound(
            month=data.month,
            unit_path=data.unit_path,
            unit_name=data.unit_name.strip(),
            requested=count,
            seed=seed,
            candidate_ids=sorted((p.id for p in candidates), key=str),
            excluded_ids=sorted((p.id for p in secretaries if p.id in last_month), key=str),
            created_by=self.principal.user_id,
            created_by_name=self.principal.name,
        )
        self.session.add(row)
        try:
            async with self.session.begin_nested():
                await self.session.flush()
        except IntegrityError as clash:
            if ONE_ROUND_PER_UNIT_MONTH in str(clash.orig):
                raise conflict(f"{data.unit_name} already has a duty review round for {data.month}") from None
            raise
        reviews = [
            DutyReview(
                round_id=row.id,
                person_id=person_id,
                secretary_name=by_id[person_id].name,
                branch_path=by_id[person_id].branch_path or data.unit_path,
                state=ReviewState.DRAWN,
            )
            for person_id in drawn
        ]
        self.session.add_all(reviews)
        await self.session.flush()
        await self.session.refresh(row)
        await audit.record(
            self.session,
            "training.duty_review.drawn",
            subject_type="duty_review_round",
            subject_id=str(row.id),
            detail={"month": data.month, "drawn": len(drawn), "candidates": len(candidates)},
        )
        return row, reviews

    async def page(self, *, month: str | None, cursor: str | None, limit: int) -> tuple[list[ReviewRound], str | None]:
        query = select(ReviewRound)
        if self.principal.scope is not None:
            query = query.where(under(ReviewRound.unit_path, self.principal.scope))
        if month is not None:
            query = query.where(ReviewRound.month == month)
        return await page(self.rounds, query, NEWEST_FIRST, cursor=cursor, limit=limit)

    async def reviews_of(self, rounds: Sequence[ReviewRound]) -> dict[UUID, list[DutyReview]]:
        ids = [r.id for r in rounds]
        found: dict[UUID, list[DutyReview]] = {i: [] for i in ids}
        if ids:
            rows = await self.session.scalars(
                select(DutyReview)
                .where(DutyReview.round_id.in_(ids))
                .order_by(DutyReview.secretary_name, DutyReview.id)
            )
            for review in rows:
                found[review.round_id].append(review)
        return found

    async def voters(self, reviews: Sequence[DutyReview]) -> dict[UUID, int]:
        ids = [r.id for r in reviews]
        if not ids:
            return {}
        rows = await self.session.execute(
            select(PollVoter.review_id, func.count()).where(PollVoter.review_id.in_(ids)).group_by(PollVoter.review_id)
        )
        return {review_id: int(n) for review_id, n in rows.all()}
