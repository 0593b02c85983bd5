"""A district as training sees it: the seeded catalogue, a few members (as orgtree's events would place them),
written straight to the database; orgtree's events themselves are tested in test_people.py."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.training.models import Person, PersonKind, Programme, TrainingSession
from services.training.programmes.catalogue import seed_catalogue
from shared.clock import now
from shared.context import tenant_scope
from shared.db.engine import make_sessionmaker
from tests.platform.tokens import TestIssuer


@dataclass
class District:
    id: uuid.UUID
    engine: AsyncEngine
    # a small party tree: district committee > street working committee > branch, as C-collated paths
    branch_path: str = ""
    branch_id: uuid.UUID = field(default_factory=uuid.uuid4)
    programmes: dict[str, uuid.UUID] = field(default_factory=dict)

    def session(self) -> AsyncSession:
        return make_sessionmaker(self.engine)()

    async def run(self, work: Any) -> Any:
        """Run ``await work(session)`` in one transaction of this district."""
        with tenant_scope(self.id):
            async with self.session() as session, session.begin():
                return await work(session)

    async def add_member(
        self,
        name: str = "林志红",
        *,
        user_id: uuid.UUID | None = None,
        branch_path: str | None = None,
        duties: list[str] | None = None,
        flags: list[str] | None = None,
    ) -> Person:
        async def add(session: AsyncSession) -> Person:
            person = Person(
                kind=PersonKind.MEMBER,
                member_id=uuid.uuid4(),
                user_id=user_id or uuid.uuid4(),
                name=name,
                branch_id=self.branch_id,
                branch_path=branch_path or self.branch_path,
                classification="self_managed",
                flags=flags or [],
                duties=duties or [],
            )
            session.add(person)
            await session.flush()
            return person

        person: Person = await self.run(add)
        return person

    async def add_session(
        self,
        programme: str = "micro_party_lecture",
        *,
        starts_in: timedelta = timedelta(minutes=10),
        hours: str = "2",
        lasts: timedelta = timedelta(hours=2),
        **fields: Any,
    ) -> TrainingSession:
        start = now() + starts_in

        async def add(session: AsyncSession) -> TrainingSession:
            row = TrainingSession(
                programme_id=self.programmes[programme],
                title=fields.pop("title", "微党课：身边的红色细胞"),
                category=fields.pop("category", "theory"),
                place=fields.pop("place", "瑶溪街道党群服务中心"),
                starts_at=start,
                ends_at=start + lasts,
                checkin_opens_at=start - timedelta(minutes=30),
                checkin_closes_at=start + lasts,
                credit_hours=Decimal(hours),
                organiser_unit_id=self.branch_id,
                organiser_unit_path=self.branch_path,
                **fields,
            )
            session.add(row)
            await session.flush()
            return row

        row: TrainingSession = await self.run(add)
        return row


async def make_district(engine: AsyncEngine, name: str) -> District:
    tenant = uuid.uuid4()
    district = District(tenant, engine, branch_path=f"/{tenant.hex[:8]}/s1/b1/")

    async def build(session: AsyncSession) -> None:
        await seed_catalogue(session)
        district.programmes = {p.code: p.id for p in await session.scalars(select(Programme))}

    await district.run(build)
    return district


def organiser(issuer: TestIssuer, district: District, **claims: Any) -> str:
    return issuer.token(tenant=district.id, roles=["district_admin"], **claims)


def attendee(issuer: TestIssuer, district: District, person: Person) -> str:
    return issuer.token(tenant=district.id, roles=["member"], user_id=person.user_id)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
