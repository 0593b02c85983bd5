"""The public notice (公示): a scored round goes on the district's notice board for the district's days; anyone
signed in to the district may object to an entry while it runs, and each objection needs an organiser's answer
before the round is published. The notice's end is the row's ``notice_ends_at``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.access import ORGANISERS
from services.training.paging import page
from services.training.ratings.levels import stamp
from services.training.ratings.models import RatingEntry, RatingObjection, RatingState, StarRating
from services.training.ratings.rounds import RatingRepository, RoundService
from services.training.ratings.schemas import ObjectionCreate
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.paths import under
from shared.db.repository import Keyset, Repository
from shared.http.problems import conflict, missing

BOARD_KEEPS = timedelta(days=30)  # a published round stays on the board this long
NEWEST_NOTICE_FIRST = Keyset(StarRating.notice_starts_at, StarRating.id, descending=True, parse=datetime.fromisoformat)


class ObjectionRepository(Repository[RatingObjection]):
    model_type = RatingObjection
    noun = "objection"


class NoticeService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        rounds: RoundService,
        ratings: RatingRepository,
        objections: ObjectionRepository,
    ) -> None:
        self.session = session
        self.principal = principal
        self.rounds = rounds
        self.ratings = ratings
        self.objections = objections

    @property
    def organiser(self) -> bool:
        return self.principal.has_role(*ORGANISERS)

    async def start(self, rating_id: UUID) -> StarRating:
        rating = await self.rounds.get(rating_id, for_update=True)
        if rating.state != RatingState.DRAFT:
            raise conflict(f"the rating is {rating.state}: only a draft goes on public notice")
        if await self.session.scalar(select(RatingEntry.id).where(RatingEntry.rating_id == rating.id).limit(1)) is None:
            raise conflict("the rating has no entries yet: score its subjects before the public notice")
        rating.state = RatingState.IN_NOTICE
        rating.notice_starts_at = now()
        rating.notice_ends_at = rating.notice_starts_at + timedelta(days=rating.notice_days)
        await self.session.flush()
        await audit.record(
            self.session, "training.rating.noticed", subject_type="star_rating", subject_id=str(rating.id)
        )
        return rating

    async def board(
        self, *, unit_path: str | None, cursor: str | None, limit: int
    ) -> tuple[list[StarRating], dict[UUID, list[RatingEntry]], str | None]:
        """Rounds on notice, and those published in the last 30 days, newest notice first, with their entries (best
        first): what every signed-in user of the district may read."""
        query = select(StarRating).where(
            or_(
                StarRating.state == RatingState.IN_NOTICE,
                (StarRating.state == RatingState.PUBLISHED) & (StarRating.published_at >= now() - BOARD_KEEPS),
            )
        )
        if unit_path is not None:
            query = query.where(under(StarRating.unit_path, unit_path))
        rounds, following = await page(self.ratings, query, NEWEST_NOTICE_FIRST, cursor=cursor, limit=limit)
        return rounds, await self._entries([r.id for r in rounds]), following

    async def on_board(self, rating_id: UUID) -> tuple[StarRating, list[RatingEntry]]:
        """One round of the board; a draft (or another district's id) is the district's 404."""
        rating = await self.ratings.get_or_404(rating_id)
        if rating.state == RatingState.DRAFT:
            raise missing("star rating")
        return rating, (await self._entries([rating.id])).get(rating.id, [])

    async def _entries(self, ids: Sequence[UUID]) -> dict[UUID, list[RatingEntry]]:
        found: dict[UUID, list[RatingEntry]] = {i: [] for i in ids}
        if ids:
            order = (RatingEntry.level.desc(), RatingEntry.total.desc(), RatingEntry.subject_name, RatingEntry.id)
            for entry in await self.session.scalars(
                select(RatingEntry).where(RatingEntry.rating_id.in_(list(ids))).order_by(*order)
            ):
                found[entry.rating_id].append(entry)
        return found

    async def object(self, rating_id: UUID, data: ObjectionCreate) -> RatingObjection:
        # the round's row lock orders an objection against a publication racing it
        rating = await self.ratings.get_or_404(rating_id, for_update=True)
        if rating.state == RatingState.DRAFT:
            raise missing("star rating")  # not on the board: a draft is the organisers' alone
        entry = await self.session.get(RatingEntry, data.entry_id)
        if entry is None or entry.rating_id != rating.id:
            raise missing("rating entry")
        if rating.state != RatingState.IN_NOTICE or rating.notice_ends_at is None or now() >= rating.notice_ends_at:
            ended = stamp(rating.notice_ends_at) if rating.notice_ends_at else ""
            raise conflict(f"the public notice of this rating ended at {ended}: objections are raised during it")
        objection = RatingObjection(
            rating_id=rating.id,
            entry_id=entry.id,
            content=data.content.strip(),
            raised_by=self.principal.user_id,
            raised_by_name=self.principal.name,
            raised_at=now(),
        )
        self.session.add(objection)
        await self.session.flush()
        await audit.record(
            self.session,
            "training.rating.objection_raised",
            subject_type="rating_objection",
            subject_id=str(objection.id),
            detail={"ratingId": str(rating.id), "entryId": str(entry.id)},
        )
        return objection

    async def answer(self, objection_id: UUID, answer: str) -> RatingObjection:
        objection = await self.objections.get_or_404(objection_id, for_update=True)
        rating = await self.rounds.get(objection.rating_id)  # outside the organiser's scope: 404
        if objection.answered_at is not None:
            raise conflict(f"the objection was answered at {stamp(objection.answered_at)}")
        if rating.state == RatingState.PUBLISHED:
            raise conflict("the rating is published: its objections were all answered before")
        objection.answer = answer.strip()
        objection.answered_by = self.principal.user_id
        objection.answered_by_name = self.principal.name
        objection.answered_at = now()
        await self.session.flush()
        await audit.record(
            self.session,
            "training.rating.objection_answered",
            subject_type="rating_objection",
            subject_id=str(objection.id),
        )
        return objection

    async def list_objections(self, rating_id: UUID) -> list[RatingObjection]:
        """Organisers (whose scope holds the round) read every objection; anyone else their own, on the board."""
        if self.organiser:
            rating = await self.rounds.get(rating_id)
            mine = None
        else:
            rating, _ = await self.on_board(rating_id)
            mine = self.principal.user_id
        query = select(RatingObjection).where(RatingObjection.rating_id == rating.id)
        if mine is not None:
            query = query.where(RatingObjection.raised_by == mine)
        return list(await self.session.scalars(query.order_by(RatingObjection.raised_at, RatingObjection.id)))
