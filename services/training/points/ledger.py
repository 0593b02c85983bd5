"""Crediting the ledger, once per source.

Events credit the person they name: by ``person_id`` (training's own attendance), ``member_id`` (dispatch's member
volunteers) or ``user_id`` (a wish's claimer). Orgtree's event that makes the person may come after dispatch's, so
a credit for someone training does not know yet waits in ``points_pending`` (with its points worked out by the
rule of the day it came) and ``sweeps.py`` enters it when the person arrives. Both tables are unique on the
source, so a redelivery, a replay under a new envelope id or a sweep racing a replay still credits once.

Dispatch's events come by the thousand (goal: 1,000 a second on one worker), so the common case is one statement
(the person found and the entry written together) and each district's crediting rules are kept for half a minute.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Table, Uuid, bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.people.models import Person
from services.training.points.defaults import seed_points_categories
from services.training.points.models import (
    ONE_PENDING_PER_SOURCE,
    ONE_PER_SOURCE,
    PendingCredit,
    PointsCategory,
    PointsEntry,
    Rule,
)
from shared.context import require_tenant
from shared.db.base import uuid7
from shared.logging import get_logger

log = get_logger(__name__)
RULES_KEPT_S = 30.0  # a district's change to a rule reaches the workers within this


@dataclass(frozen=True, slots=True)
class Credit:
    """What one source is worth, before it is known whose it is."""

    category: str
    points: int
    reason: str
    source_kind: str
    source_id: UUID
    occurred_at: datetime

    def values(self) -> dict[str, Any]:
        """The entry's columns (shallow: ``dataclasses.asdict`` deep-copies, a measurable cost per event)."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class CreditRule:
    """A category as an event credits it."""

    code: str
    rule: str
    points: int

    def worth(self, *, stated: int = 0, hours: Decimal = Decimal(0)) -> int:
        """The points of one source: ``stated`` is what the event says, ``hours`` the hours of service or credit
        hours."""
        if self.rule == Rule.FROM_EVENT:
            return stated
        if self.rule == Rule.FIXED:
            return self.points
        if self.rule == Rule.PER_HOUR:
            return int((self.points * hours).to_integral_value(ROUND_HALF_UP))
        return 0


_rules: dict[tuple[UUID, str], tuple[float, CreditRule | None]] = {}


async def rule_for(session: AsyncSession, source: str) -> CreditRule | None:
    """The district's active category credited by the event ``source`` (None: the district credits none); a
    district from before the ledger gets the default categories first."""
    key = (require_tenant(), source)
    kept = _rules.get(key)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    query = select(PointsCategory).where(PointsCategory.source == source)
    category = await session.scalar(query)
    if category is None and await seed_points_categories(session):
        category = await session.scalar(query)
    found = CreditRule(category.code, category.rule, category.points) if category and category.active else None
    _rules[key] = (time.monotonic() + RULES_KEPT_S, found)
    return found


async def enter(session: AsyncSession, person_id: UUID, credit: Credit) -> bool:
    """Add the entry unless its source was credited before; True when added."""
    statement = (
        pg_insert(PointsEntry)
        .values(tenant_id=require_tenant(), id=uuid7(), person_id=person_id, **credit.values())
        .on_conflict_do_nothing(constraint=ONE_PER_SOURCE)
        .returning(PointsEntry.id)
    )
    return (await session.execute(statement)).first() is not None


def _entry_for(key: Any) -> Any:
    """The entry for the person matching ``key``, found and written in one statement (built once)."""
    entries = cast(Table, PointsEntry.__table__)  # Core, not the ORM: executed with its parameters, one statement
    names = ["tenant_id", "id", "category", "points", "reason", "source_kind", "source_id", "occurred_at"]
    values = [bindparam(name, type_=entries.c[name].type) for name in names]
    person = select(Person.id, *values).where(key == bindparam("person_key", type_=Uuid()))
    return (
        pg_insert(entries)
        .from_select(["person_id", *names], person)
        .on_conflict_do_nothing(constraint=ONE_PER_SOURCE)
        .returning(entries.c.id)
    )


BY_MEMBER, BY_ACCOUNT = _entry_for(Person.member_id), _entry_for(Person.user_id)


async def credit_person(
    session: AsyncSession, credit: Credit, *, member_id: UUID | None = None, user_id: UUID | None = None
) -> None:
    """Credit the person with ``member_id`` (else ``user_id``), or keep the credit until they arrive."""
    if credit.points == 0:  # e.g. five minutes of service: nothing to evaluate
        return
    statement, person_key = (BY_MEMBER, member_id) if member_id is not None else (BY_ACCOUNT, user_id)
    values = {"tenant_id": require_tenant(), "id": uuid7(), **credit.values()}
    if (await session.execute(statement, {**values, "person_key": person_key})).first() is not None:
        return
    key = Person.member_id == member_id if member_id is not None else Person.user_id == user_id
    if await session.scalar(select(Person.id).where(key)) is not None:
        return  # credited before: a redelivery or a replay
    log.info("points wait for their person", source=credit.source_kind, source_id=str(credit.source_id))
    statement = pg_insert(PendingCredit).values(**values, member_id=member_id, user_id=user_id)
    await session.execute(statement.on_conflict_do_nothing(constraint=ONE_PENDING_PER_SOURCE))
