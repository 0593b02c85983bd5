"""Scoring a subject in a draft round: the scores checked against the round's criteria, the level computed, and the
inputs recorded beside them. A subject with a commitment for the year still unevaluated is refused (TRN-09: the
evaluation score comes first). Scoring the same subject again in a draft round replaces its entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.paging import page
from services.training.people.directory import PersonDirectory
from services.training.ratings.inputs import figures, refuse_unevaluated
from services.training.ratings.levels import check_scores, level, number, total
from services.training.ratings.models import RatingEntry, RatingObjection, RatingState, StarRating, SubjectKind
from services.training.ratings.periods import parse
from services.training.ratings.rounds import RoundService
from services.training.ratings.schemas import EntryWrite
from services.training.ratings.subjects import subject_of
from shared import audit
from shared.auth.principal import Principal
from shared.db.repository import Keyset, Repository
from shared.http.problems import FieldErrors, conflict, missing

BY_NAME = Keyset(RatingEntry.subject_name, RatingEntry.id)


@dataclass(frozen=True, slots=True)
class Scored:
    rating: StarRating
    entry: RatingEntry
    new: bool


class EntryRepository(Repository[RatingEntry]):
    model_type = RatingEntry
    noun = "rating entry"


class EntryService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        rounds: RoundService,
        entries: EntryRepository,
        people: PersonDirectory,
    ) -> None:
        self.session = session
        self.principal = principal
        self.rounds = rounds
        self.entries = entries
        self.people = people

    async def score(self, rating_id: UUID, data: EntryWrite) -> Scored:
        rating = await self.rounds.get(rating_id, for_update=True)  # scoring waits for a notice being started
        if rating.state != RatingState.DRAFT:
            raise conflict(f"the rating is {rating.state}: entries are scored only while it is a draft")
        subject = await subject_of(
            self.people,
            member=rating.subject_kind == SubjectKind.MEMBER,
            person_id=data.person_id,
            unit_id=data.unit_id,
            unit_path=data.unit_path,
            unit_name=data.unit_name,
            under=rating.unit_path,
        )
        errors = FieldErrors()
        check_scores(errors, rating.criteria, data.scores)
        errors.raise_if_any("the scores are invalid")
        period = parse("period", rating.period, ratings=True)
        await refuse_unevaluated(self.session, subject, period)
        score = total(rating.criteria, data.scores)
        stars = level(rating.levels, score)
        values = {
            "person_id": subject.person.id if subject.person else None,
            "unit_id": subject.unit_id,
            "subject_path": subject.path,
            "subject_name": subject.name,
            "scores": {c["code"]: float(number(data.scores[c["code"]])) for c in rating.criteria},
            "total": score,
            "level": stars,
            "note": (data.note if data.note is not None else rating.level_notes[stars - 1]).strip(),
            "scored_by": self.principal.user_id,
            "scored_by_name": self.principal.name,
            **(await figures(self.session, subject, period)).columns(),
        }
        entry = await self.session.scalar(
            select(RatingEntry).where(RatingEntry.rating_id == rating.id, RatingEntry.subject_id == subject.id)
        )
        new = entry is None
        if entry is None:
            entry = RatingEntry(rating_id=rating.id, subject_id=subject.id, **values)
            self.session.add(entry)
        else:
            for name, value in values.items():
                setattr(entry, name, value)
        await self.session.flush()
        await self.session.refresh(entry)
        await audit.record(
            self.session,
            "training.rating.scored",
            subject_type="rating_entry",
            subject_id=str(entry.id),
            detail={"ratingId": str(rating.id), "level": stars},
        )
        return Scored(rating, entry, new)

    async def page(self, rating: StarRating, *, cursor: str | None, limit: int) -> tuple[list[RatingEntry], str | None]:
        query = select(RatingEntry).where(RatingEntry.rating_id == rating.id)
        return await page(self.entries, query, BY_NAME, cursor=cursor, limit=limit)

    async def get(self, rating: StarRating, entry_id: UUID) -> RatingEntry:
        entry = await self.entries.get_or_404(entry_id)
        if entry.rating_id != rating.id:
            raise missing("rating entry")
        return entry

    async def objections(self, entries: Sequence[RatingEntry]) -> dict[UUID, int]:
        ids = [entry.id for entry in entries]
        if not ids:
            return {}
        rows = await self.session.execute(
            select(RatingObjection.entry_id, func.count())
            .where(RatingObjection.entry_id.in_(ids))
            .group_by(RatingObjection.entry_id)
        )
        return {entry_id: int(count) for entry_id, count in rows.all()}
