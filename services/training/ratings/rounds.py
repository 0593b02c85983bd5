"""Rating rounds: made by an organiser for the subjects of a kind under a unit of their scope, from one of the
district's templates (copied), and read by the organisers whose scope holds the round's unit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.paging import page
from services.training.ratings.models import RatingEntry, RatingObjection, RatingState, StarRating
from services.training.ratings.periods import parse
from services.training.ratings.schemas import RatingCreate
from services.training.ratings.templates import TemplateService
from shared import audit
from shared.auth.principal import Principal
from shared.db.paths import under
from shared.db.repository import Keyset, Repository
from shared.http.problems import FieldErrors, ProblemError, invalid

NEWEST_FIRST = Keyset(StarRating.created_at, StarRating.id, descending=True, parse=datetime.fromisoformat)


@dataclass(frozen=True, slots=True)
class Counts:
    entries: int
    open_objections: int


class RatingRepository(Repository[StarRating]):
    model_type = StarRating
    noun = "star rating"


class RoundService:
    def __init__(
        self, session: AsyncSession, principal: Principal, ratings: RatingRepository, templates: TemplateService
    ) -> None:
        self.session = session
        self.principal = principal
        self.ratings = ratings
        self.templates = templates

    def visible(self, rating: StarRating) -> bool:
        return self.principal.may_see_path(rating.unit_path)

    async def get(self, rating_id: UUID, *, for_update: bool = False) -> StarRating:
        """The round, if in this district and under the caller's scope; else the district's 404."""
        return await self.ratings.get_or_404(rating_id, for_update=for_update, visible=self.visible)

    async def create(self, data: RatingCreate) -> StarRating:
        errors = FieldErrors()
        period = None
        try:
            period = parse("period", data.period, ratings=True)
        except ProblemError as bad:
            errors.items += bad.errors
        if not self.principal.may_see_path(data.unit_path):
            errors.add("unitPath", f"rate units under your scope {self.principal.scope}")
        errors.raise_if_any("the star rating is invalid")
        assert period is not None
        try:
            template = await self.templates.get(data.template_id)
        except ProblemError:
            raise invalid("templateId", "not a rating template of this district") from None
        if template.subject_kind != data.subject_kind:
            raise invalid("templateId", f"the template rates {template.subject_kind}, not {data.subject_kind}")
        rating = StarRating(
            name=data.name.strip(),
            subject_kind=data.subject_kind,
            period=period.label,
            template_id=template.id,
            template_name=template.name,
            criteria=template.criteria,
            levels=template.levels,
            level_notes=template.level_notes,
            unit_path=data.unit_path,
            notice_days=data.notice_days or await self.templates.notice_days(),
            state=RatingState.DRAFT,
            created_by=self.principal.user_id,
            created_by_name=self.principal.name,
        )
        self.session.add(rating)
        await self.session.flush()
        await self.session.refresh(rating)
        await audit.record(
            self.session, "training.rating.created", subject_type="star_rating", subject_id=str(rating.id)
        )
        return rating

    async def page(
        self,
        *,
        period: str | None,
        subject_kind: str | None,
        state: str | None,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[StarRating], str | None]:
        """Newest first: the rounds of units under the caller's scope."""
        query = select(StarRating)
        if self.principal.scope is not None:
            query = query.where(under(StarRating.unit_path, self.principal.scope))
        if period is not None:
            query = query.where(StarRating.period == parse("query.period", period, ratings=True).label)
        if subject_kind is not None:
            query = query.where(StarRating.subject_kind == subject_kind)
        if state is not None:
            query = query.where(StarRating.state == state)
        return await page(self.ratings, query, NEWEST_FIRST, cursor=cursor, limit=limit)

    async def counts(self, ratings: Sequence[StarRating]) -> dict[UUID, Counts]:
        ids = [rating.id for rating in ratings]
        if not ids:
            return {}
        entries = dict(
            (
                await self.session.execute(
                    select(RatingEntry.rating_id, func.count())
                    .where(RatingEntry.rating_id.in_(ids))
                    .group_by(RatingEntry.rating_id)
                )
            ).all()
        )
        open_ones = dict(
            (
                await self.session.execute(
                    select(RatingObjection.rating_id, func.count())
                    .where(RatingObjection.rating_id.in_(ids), RatingObjection.answered_at.is_(None))
                    .group_by(RatingObjection.rating_id)
                )
            ).all()
        )
        return {i: Counts(int(entries.get(i, 0)), int(open_ones.get(i, 0))) for i in ids}
