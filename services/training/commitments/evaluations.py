"""What star ratings read from commitments (TRN-09: an evaluation score is required before the period's rating).

Holders are training person ids (members) and orgtree unit ids (party groups); a year is "2026"."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.commitments.models import Commitment


def _holders(person_ids: Sequence[UUID], unit_ids: Sequence[UUID]) -> ColumnElement[bool]:
    conditions = []
    if person_ids:
        conditions.append(Commitment.person_id.in_(list(person_ids)))
    if unit_ids:
        conditions.append(Commitment.unit_id.in_(list(unit_ids)))
    return or_(*conditions) if conditions else false()


async def unevaluated(
    db: AsyncSession, *, year: str, person_ids: Sequence[UUID] = (), unit_ids: Sequence[UUID] = ()
) -> set[UUID]:
    """The holders among those given with a commitment for ``year`` that has no evaluation score yet."""
    holder = func.coalesce(Commitment.person_id, Commitment.unit_id)
    rows = await db.scalars(
        select(holder)
        .where(Commitment.period == year, Commitment.score.is_(None), _holders(person_ids, unit_ids))
        .distinct()
    )
    return set(rows)


async def scores(
    db: AsyncSession, *, year: str, person_ids: Sequence[UUID] = (), unit_ids: Sequence[UUID] = ()
) -> dict[UUID, Decimal]:
    """The mean evaluation score of each holder's evaluated commitments for ``year`` (holders without one are
    absent), to two places."""
    holder = func.coalesce(Commitment.person_id, Commitment.unit_id)
    rows = await db.execute(
        select(holder, func.round(func.avg(Commitment.score), 2))
        .where(Commitment.period == year, Commitment.score.is_not(None), _holders(person_ids, unit_ids))
        .group_by(holder)
    )
    return {row[0]: Decimal(row[1]) for row in rows}
