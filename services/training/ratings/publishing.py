"""Publishing a round after its public notice: refused (409, saying which) before ``notice_ends_at`` or while an
objection is unanswered; otherwise StarRatingPublished goes to the outbox once per entry. The round's row lock
and its state make a second publication (or two at once) a 409, never a second set of events."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.ratings.levels import stamp
from services.training.ratings.models import RatingEntry, RatingObjection, RatingState, StarRating
from services.training.ratings.rounds import RoundService
from shared import audit
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.training import StarRatingPublished
from shared.http.problems import ProblemError, conflict
from shared.messaging.outbox import publish_many


class PublishingService:
    def __init__(self, session: AsyncSession, rounds: RoundService) -> None:
        self.session = session
        self.rounds = rounds

    async def publish(self, rating_id: UUID) -> StarRating:
        rating = await self.rounds.get(rating_id, for_update=True)
        if rating.state == RatingState.PUBLISHED:
            raise conflict(f"the rating was published at {stamp(rating.published_at) if rating.published_at else ''}")
        if rating.state == RatingState.DRAFT or rating.notice_ends_at is None:
            raise conflict("the rating has not been on public notice: start its notice first")
        reasons, errors = [], []
        published_at = now()
        if published_at < rating.notice_ends_at:
            reasons.append(f"its public notice runs until {stamp(rating.notice_ends_at)}")
            errors.append({"field": "noticeEndsAt", "message": stamp(rating.notice_ends_at)})
        unanswered = list(
            await self.session.scalars(
                select(RatingObjection.id)
                .where(RatingObjection.rating_id == rating.id, RatingObjection.answered_at.is_(None))
                .order_by(RatingObjection.raised_at, RatingObjection.id)
            )
        )
        if unanswered:
            reasons.append(f"{len(unanswered)} objection(s) are unanswered: {', '.join(map(str, unanswered))}")
            errors += [{"field": "objections", "message": str(objection_id)} for objection_id in unanswered]
        if reasons:
            raise ProblemError(
                409, "the rating cannot be published yet: " + "; ".join(reasons), errors=errors, title="Conflict"
            )
        entries = list(await self.session.scalars(select(RatingEntry).where(RatingEntry.rating_id == rating.id)))
        tenant = require_tenant()
        await publish_many(
            self.session,
            [
                StarRatingPublished(
                    tenant_id=tenant,
                    rating_id=rating.id,
                    entry_id=entry.id,
                    subject_kind=rating.subject_kind,
                    subject_id=entry.subject_id,
                    subject_path=entry.subject_path,
                    period=rating.period,
                    level=entry.level,
                    note=entry.note,
                    published_at=published_at,
                )
                for entry in entries
            ],
        )
        rating.state = RatingState.PUBLISHED
        rating.published_at = published_at
        await self.session.flush()
        await audit.record(
            self.session,
            "training.rating.published",
            subject_type="star_rating",
            subject_id=str(rating.id),
            detail={"entries": len(entries)},
        )
        return rating
