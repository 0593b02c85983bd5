"""A district as dispatch sees it: seeded hotline setup, a small tree in the directory, households,
red-cell links and providers, written straight to the database (orgtree's events are tested apart)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.dispatch.catalogue.services import seed_district
from services.dispatch.models import (
    DirectoryGrid,
    DirectoryHousehold,
    DirectoryLink,
    Provider,
    ProviderKind,
    ServiceCategory,
    ServiceItem,
)
from shared.db.engine import make_sessionmaker
from shared.tenancy import tenant_scope
from shared.testing.tokens import TestIssuer


@dataclass
class District:
    id: uuid.UUID
    engine: AsyncEngine
    root: uuid.UUID = field(default_factory=uuid.uuid4)
    street: uuid.UUID = field(default_factory=uuid.uuid4)
    village: uuid.UUID = field(default_factory=uuid.uuid4)
    grids: list[uuid.UUID] = field(default_factory=list)
    grid_paths: dict[uuid.UUID, str] = field(default_factory=dict)
    households: list[uuid.UUID] = field(default_factory=list)
    categories: dict[str, uuid.UUID] = field(default_factory=dict)
    items: dict[str, uuid.UUID] = field(default_factory=dict)

    def session(self) -> AsyncSession:
        return make_sessionmaker(self.engine)()

    async def run(self, work: Any) -> Any:
        """Run ``await work(session)`` in one transaction of this district."""
        with tenant_scope(self.id):
            async with self.session() as session, session.begin():
                return await work(session)

    async def add_provider(self, *, kind: str = ProviderKind.MEMBER_VOLUNTEER, grid: uuid.UUID | None = None,
                           member_id: uuid.UUID | None = None, user_id: uuid.UUID | None = None,
                           skills: list[str] | None = None, on_duty: bool = True,
                           latitude: float | None = None, longitude: float | None = None,
                           name: str = "志愿者") -> Provider:  # fmt: skip
        async def add(session: AsyncSession) -> Provider:
            provider = Provider(
                kind=kind, name=name, member_id=member_id, user_id=user_id or uuid.uuid4(), grid_id=grid,
                skills=skills or [], on_duty=on_duty, latitude=latitude, longitude=longitude,
            )  # fmt: skip
            session.add(provider)
            await session.flush()
            return provider

        provider: Provider = await self.run(add)
        return provider

    async def link(self, household: uuid.UUID, member_id: uuid.UUID) -> None:
        async def add(session: AsyncSession) -> None:
            session.add(DirectoryLink(household_id=household, member_id=member_id))

        await self.run(add)


async def make_district(engine: AsyncEngine, name: str, *, grids: int = 2, households_per_grid: int = 3) -> District:
    district = District(uuid.uuid4(), engine)

    async def build(session: AsyncSession) -> None:
        await seed_district(session)
        chain = [
            {"id": str(district.root), "level": "district", "name": name},
            {"id": str(district.street), "level": "street", "name": "状元街道"},
            {"id": str(district.village), "level": "village", "name": "瑶溪村"},
        ]
        for g in range(grids):
            grid = uuid.uuid4()
            path = f"/{district.root.hex[:8]}/{district.street.hex[:8]}/{district.village.hex[:8]}/{grid.hex[:8]}/"
            district.grids.append(grid)
            district.grid_paths[grid] = path
            session.add(DirectoryGrid(grid_id=grid, name=f"第{g + 1}网格", path=path, ancestors=chain))
            for _ in range(households_per_grid):
                household = uuid.uuid4()
                district.households.append(household)
                session.add(DirectoryHousehold(household_id=household, grid_id=grid))
        for row in await session.scalars(select(ServiceCategory)):
            district.categories[row.code] = row.id
        for item in await session.scalars(select(ServiceItem)):
            district.items[item.code] = item.id

    await district.run(build)
    return district


def bearer(issuer: TestIssuer, tenant: uuid.UUID | None, roles: list[str], scope: str | None = None,
           user_id: uuid.UUID | None = None) -> dict[str, str]:  # fmt: skip
    return {"Authorization": f"Bearer {issuer.token(tenant=tenant, roles=roles, scope=scope, user_id=user_id)}"}


def operator(issuer: TestIssuer, district: District, user_id: uuid.UUID | None = None) -> dict[str, str]:
    return bearer(issuer, district.id, ["hotline_operator"], user_id=user_id or uuid.uuid4())
