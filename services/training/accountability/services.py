"""Reading accountability records (EVT-04): by the unit answerable (its subtree), by period, or by person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.accountability.models import AccountabilityRecord
from services.training.paging import page
from services.training.people.models import Person
from services.training.points.periods import days
from services.training.points.services import within
from shared.auth.principal import Principal
from shared.db.paths import under
from shared.db.repository import Keyset, Repository

R = AccountabilityRecord
NEWEST_FIRST = Keyset(R.warned_at, R.id, descending=True, parse=datetime.fromisoformat)


@dataclass(frozen=True, slots=True)
class Records:
    rows: list[AccountabilityRecord]
    people: dict[UUID, Person]  # by member id: the member volunteers the records name
    next: str | None


class RecordRepository(Repository[AccountabilityRecord]):
    model_type = AccountabilityRecord
    noun = "accountability record"


class AccountabilityService:
    def __init__(self, session: AsyncSession, principal: Principal, records: RecordRepository) -> None:
        self.session = session
        self.principal = principal
        self.records = records

    async def page(
        self,
        *,
        unit_path: str | None = None,
        person: Person | None = None,
        first: str | None,
        last: str | None,
        cursor: str | None,
        limit: int,
    ) -> Records:
        """Newest first. By unit: records against units at or under ``unit_path`` and the caller's scope (a record
        whose unit dispatch could not place is seen district-wide only). By person: every record naming them."""
        conditions = within(R.warned_at, days(first, last))
        if person is not None:
            if person.member_id is None:  # a resident holds no orders
                return Records([], {}, None)
            conditions.append(R.member_id == person.member_id)
        else:
            for path in (self.principal.scope, unit_path):
                if path:
                    conditions.append(under(R.unit_path, path))
        rows, following = await page(
            self.records, select(R).where(*conditions), NEWEST_FIRST, cursor=cursor, limit=limit
        )
        members = {row.member_id for row in rows if row.member_id is not None}
        people = (
            list(await self.session.scalars(select(Person).where(Person.member_id.in_(members)))) if members else []
        )
        return Records(rows, {p.member_id: p for p in people if p.member_id is not None}, following)
