"""The programme catalogue: read by everyone who attends, kept by the district's administrators (TRN-01)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.programmes.models import Audience, Counts, Programme, Track, TrainingCategory
from services.training.programmes.rules import check_hours, given
from services.training.programmes.schemas import CategoryCreate, ProgrammeCreate, ProgrammeUpdate
from shared import audit
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, conflict

INVALID_PROGRAMME = "the programme has invalid fields"


class ProgrammeRepository(Repository[Programme]):
    model_type = Programme
    noun = "programme"


class CatalogueService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.repository = ProgrammeRepository(session)

    async def categories(self) -> Sequence[TrainingCategory]:
        return (await self.session.scalars(select(TrainingCategory).order_by(TrainingCategory.code))).all()

    async def category_codes(self) -> set[str]:
        return set(await self.session.scalars(select(TrainingCategory.code)))

    async def check_category(self, errors: FieldErrors, field: str, code: str) -> None:
        codes = await self.category_codes()
        if code not in codes:
            errors.add(field, f"'{code}' is not one of this district's categories: {', '.join(sorted(codes))}")

    async def add_category(self, data: CategoryCreate) -> TrainingCategory:
        if data.code in await self.category_codes():
            raise conflict(f"the category '{data.code}' already exists in this district")
        category = TrainingCategory(code=data.code, name=data.name)
        self.session.add(category)
        await self.session.flush()  # a concurrent twin fails the unique constraint: the same 409
        await audit.record(
            self.session, "training.category.added", subject_type="training_category", subject_id=str(category.id)
        )
        return category

    async def programmes(self) -> Sequence[Programme]:
        return (await self.session.scalars(select(Programme).order_by(Programme.code))).all()

    async def get(self, programme_id: UUID) -> Programme:
        return await self.repository.get_or_404(programme_id)

    async def find(self, programme_id: UUID) -> Programme | None:
        """The programme, or None when this district has none with that id (another district's included)."""
        found: Programme | None = await self.session.get(Programme, programme_id)
        return found

    async def _check(
        self, errors: FieldErrors, *, category: str | None, audience: str, track: str | None, counts: list[str]
    ) -> None:
        """The catalogue's choices: a category of this district (checked when given), the audience, track, counts."""
        if category is not None:
            await self.check_category(errors, "category", category)
        errors.choice("audience", audience, tuple(Audience))
        errors.choice("track", track, tuple(Track))
        unknown = sorted(set(counts) - set(Counts))
        if unknown:
            errors.add("counts", f"unknown values {', '.join(unknown)}; allowed: {', '.join(Counts)}")

    async def create(self, data: ProgrammeCreate) -> Programme:
        errors = FieldErrors()
        hours = check_hours(errors, "defaultCreditHours", data.default_credit_hours)
        await self._check(errors, category=data.category, audience=data.audience, track=data.track, counts=data.counts)
        errors.raise_if_any(INVALID_PROGRAMME)
        if await self.session.scalar(select(Programme.id).where(Programme.code == data.code)):
            raise conflict(f"the programme code '{data.code}' is already in this district's catalogue")
        programme = Programme(
            code=data.code,
            name=data.name,
            description=data.description,
            category=data.category,
            audience=data.audience,
            track=data.track,
            cadence=data.cadence,
            default_credit_hours=hours,
            counts=list(dict.fromkeys(data.counts)),
            active=True,
        )
        self.session.add(programme)
        await self.session.flush()
        await audit.record(
            self.session, "training.programme.created", subject_type="programme", subject_id=str(programme.id)
        )
        return programme

    async def update(self, programme_id: UUID, data: ProgrammeUpdate) -> Programme:
        """Checked as a whole before anything changes; sessions already held keep what they were worth."""
        programme = await self.repository.get_or_404(programme_id, for_update=True)
        changes = given(data)
        errors = FieldErrors()
        if "default_credit_hours" in changes:
            changes["default_credit_hours"] = check_hours(errors, "defaultCreditHours", changes["default_credit_hours"])
        if "counts" in changes:
            changes["counts"] = list(dict.fromkeys(changes["counts"]))
        await self._check(
            errors,
            category=changes.get("category"),
            audience=changes.get("audience", programme.audience),
            track=changes.get("track", programme.track),
            counts=changes.get("counts", programme.counts),
        )
        errors.raise_if_any(INVALID_PROGRAMME)
        for name, value in changes.items():
            setattr(programme, name, value)
        await self.session.flush()
        await audit.record(
            self.session,
            "training.programme.changed",
            subject_type="programme",
            subject_id=str(programme.id),
            detail={"fields": sorted(changes)},
        )
        return programme
