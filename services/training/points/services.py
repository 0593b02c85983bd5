"""The ledger as people read it and organisers add to it by hand (TRN-07)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.paging import page
from services.training.people.directory import PersonDirectory, in_either_tree
from services.training.people.models import Person
from services.training.points.models import PointsCategory, PointsEntry
from services.training.points.periods import Period, Span, days, period
from services.training.points.schemas import PointsCreate
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.base import uuid7
from shared.db.repository import Keyset, Repository
from shared.http.problems import FieldErrors, ProblemError, invalid

MANUAL = "manual"
NEWEST_FIRST = Keyset(PointsEntry.occurred_at, PointsEntry.id, descending=True, parse=datetime.fromisoformat)
NOT_A_CURSOR = "not a cursor returned by a previous page"


def within(column: Any, span: Span) -> list[Any]:
    bounds = [column >= span.starts_at] if span.starts_at else []
    return bounds + ([column < span.ends_at] if span.ends_at else [])


@dataclass(frozen=True, slots=True)
class PersonPoints:
    person: Person
    total: int
    entries: list[PointsEntry]
    next: str | None


@dataclass(frozen=True, slots=True)
class Totals:
    period: Period
    rows: list[Any]  # rank, id, name, kind, flags, branch_path, grid_path, total
    next: str | None


class EntryRepository(Repository[PointsEntry]):
    model_type = PointsEntry
    noun = "points entry"


class PointsService:
    def __init__(
        self, session: AsyncSession, principal: Principal, entries: EntryRepository, people: PersonDirectory
    ) -> None:
        self.session = session
        self.principal = principal
        self.entries = entries
        self.people = people

    async def categories(self) -> Sequence[PointsCategory]:
        return (await self.session.scalars(select(PointsCategory).order_by(PointsCategory.code))).all()

    async def person(self, person_id: UUID) -> Person:
        """The person, if in this district and under the caller's scope; else the district's 404."""
        return await self.people.get(person_id)

    async def credit_by_hand(self, data: PointsCreate) -> PointsEntry:
        errors = FieldErrors()
        if data.points == 0:
            errors.add("points", "must not be zero (negative points take points back)")
        codes: dict[str, bool] = dict(
            (await self.session.execute(select(PointsCategory.code, PointsCategory.active))).all()
        )
        if not codes.get(data.category):
            known = ", ".join(sorted(code for code, active in codes.items() if active))
            errors.add("category", f"'{data.category}' is not one of this district's points categories: {known}")
        errors.raise_if_any("the points entry is invalid")
        person = await self.person(data.person_id)
        if person.user_id == self.principal.user_id:  # the ledger evaluates people: nobody scores themself
            raise ProblemError(403, "an organiser cannot enter points for themself", title="Forbidden")
        entry_id = uuid7()
        entry = PointsEntry(
            id=entry_id,
            person_id=person.id,
            category=data.category,
            points=data.points,
            reason=data.reason.strip(),
            source_kind=MANUAL,
            source_id=entry_id,
            occurred_at=now(),
            recorded_at=now(),
            recorded_by=self.principal.user_id,
            recorded_by_name=self.principal.name,
        )
        self.session.add(entry)
        await self.session.flush()
        detail = {"entryId": str(entry_id), "category": data.category, "points": data.points}
        await audit.record(
            self.session, "training.points.entered", subject_type="person", subject_id=str(person.id), detail=detail
        )
        return entry

    async def statement(
        self, person: Person, first: str | None, last: str | None, cursor: str | None, limit: int
    ) -> PersonPoints:
        """The person's entries in the days ``first`` to ``last``, newest first, and the period's total."""
        conditions = [PointsEntry.person_id == person.id, *within(PointsEntry.occurred_at, days(first, last))]
        total = await self.session.scalar(select(func.coalesce(func.sum(PointsEntry.points), 0)).where(*conditions))
        statement = select(PointsEntry).where(*conditions)
        rows, following = await page(self.entries, statement, NEWEST_FIRST, cursor=cursor, limit=limit)
        return PersonPoints(person, int(total or 0), rows, following)

    async def totals(
        self,
        *,
        unit_path: str | None,
        period_text: str | None,
        flag: str | None,
        kind: str | None,
        cursor: str | None,
        limit: int,
    ) -> Totals:
        """Everyone on the rolls under ``unit_path`` (and the caller's scope) with ``flag``, ranked by their total
        in the period; people without points rank last with 0."""
        counted = period(period_text)
        sums = (
            select(PointsEntry.person_id, func.sum(PointsEntry.points).label("total"))
            .where(*within(PointsEntry.occurred_at, counted.span))
            .group_by(PointsEntry.person_id)
            .subquery()
        )
        total = func.coalesce(sums.c.total, 0)
        people = [
            Person.active.is_(True),
            *(in_either_tree(path) for path in (self.principal.scope, unit_path) if path),
        ]
        if flag:
            people.append(Person.flags.contains([flag]))
        if kind:
            people.append(Person.kind == kind)
        ranked = (
            select(
                func.rank().over(order_by=total.desc()).label("rank"),
                Person.id,
                Person.name,
                Person.kind,
                Person.flags,
                Person.branch_path,
                Person.grid_path,
                total.label("total"),
            )
            .outerjoin(sums, sums.c.person_id == Person.id)
            .where(*people)
            .subquery()
        )
        query: Select[Any] = select(ranked).order_by(ranked.c.total.desc(), ranked.c.id).limit(limit + 1)
        if cursor is not None:
            after_total, after_id = self._totals_cursor(cursor)
            query = query.where(
                or_(ranked.c.total < after_total, and_(ranked.c.total == after_total, ranked.c.id > after_id))
            )
        rows = list(await self.session.execute(query))
        following = f"{rows[limit - 1].total}|{rows[limit - 1].id}" if len(rows) > limit else None
        return Totals(counted, rows[:limit], following)

    @staticmethod
    def _totals_cursor(cursor: str) -> tuple[int, UUID]:
        total, _, person = cursor.partition("|")
        try:
            return int(total), UUID(person)
        except ValueError:
            raise invalid("query.cursor", NOT_A_CURSOR) from None
