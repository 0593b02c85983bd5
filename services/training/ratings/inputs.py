"""What an entry is scored from: the subject's commitment evaluation (and whether any is still unevaluated), its
points in the period, dispatch's services in the ledger and its overdue warnings. A unit's figures are its
people's (those whose party or administrative unit lies under it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.accountability.models import AccountabilityRecord
from services.training.commitments.evaluations import scores, unevaluated
from services.training.commitments.models import Commitment
from services.training.people.directory import in_either_tree
from services.training.people.models import Person
from services.training.points.models import PointsEntry
from services.training.ratings.periods import Period
from shared.contracts.dispatch import ServiceCompleted, WishFulfilled
from shared.db.paths import under
from shared.http.problems import ProblemError

DISPATCH_SOURCES = (ServiceCompleted.NAME, WishFulfilled.NAME)


@dataclass(frozen=True, slots=True)
class Subject:
    """Who an entry or award is about: a member (``person``) or a unit (``unit_id``)."""

    person: Person | None
    unit_id: UUID | None
    id: UUID  # orgtree's unit id or member id, as events name it
    path: str
    name: str


@dataclass(frozen=True, slots=True)
class Figures:
    commitment_score: Decimal | None
    points: int
    services: int
    service_points: int
    warnings: int

    def columns(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


async def refuse_unevaluated(session: AsyncSession, subject: Subject, period: Period) -> None:
    """A 409 naming the subject's commitments for the period's year that have no evaluation score yet."""
    people, units = _holder(subject)
    if not await unevaluated(session, year=period.year, person_ids=people, unit_ids=units):
        return
    holder = Commitment.person_id.in_(people) if people else Commitment.unit_id.in_(units)
    open_ones = (
        await session.execute(
            select(Commitment.id, Commitment.title)
            .where(holder, Commitment.period == period.year, Commitment.score.is_(None))
            .order_by(Commitment.id)
        )
    ).all()
    named = "; ".join(f"{title} ({commitment_id})" for commitment_id, title in open_ones)
    raise ProblemError(
        409,
        f"{subject.name} has commitments for {period.year} without an evaluation score: {named}; "
        "evaluate them before rating",
        errors=[{"field": "commitments", "message": str(commitment_id)} for commitment_id, _ in open_ones],
        title="Conflict",
    )


def _holder(subject: Subject) -> tuple[list[UUID], list[UUID]]:
    if subject.person is not None:
        return [subject.person.id], []
    return [], [subject.unit_id] if subject.unit_id else []


async def figures(session: AsyncSession, subject: Subject, period: Period) -> Figures:
    people, units = _holder(subject)
    evaluated = await scores(session, year=period.year, person_ids=people, unit_ids=units)
    in_period = and_(PointsEntry.occurred_at >= period.starts_at, PointsEntry.occurred_at < period.ends_at)
    dispatch = PointsEntry.source_kind.in_(DISPATCH_SOURCES)
    ledger = select(
        func.coalesce(func.sum(PointsEntry.points), 0),
        func.count().filter(dispatch),
        func.coalesce(func.sum(PointsEntry.points).filter(dispatch), 0),
    ).where(in_period)
    warned = select(func.count()).where(
        AccountabilityRecord.warned_at >= period.starts_at, AccountabilityRecord.warned_at < period.ends_at
    )
    if subject.person is not None:
        ledger = ledger.where(PointsEntry.person_id == subject.person.id)
        member = subject.person.member_id
        warned = warned.where(AccountabilityRecord.member_id == member)
    else:
        its_people = select(Person.id).where(in_either_tree(subject.path))
        ledger = ledger.where(PointsEntry.person_id.in_(its_people))
        warned = warned.where(under(AccountabilityRecord.unit_path, subject.path))
    points, services, service_points = (await session.execute(ledger)).one()
    return Figures(
        commitment_score=next(iter(evaluated.values()), None),
        points=int(points),
        services=int(services),
        service_points=int(service_points),
        warnings=int(await session.scalar(warned) or 0),
    )
