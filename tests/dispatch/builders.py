"""A district as dispatch sees it: seeded hotline setup, a small tree in the directory, households,
red-cell links and providers, written straight to the database (orgtree's events are tested apart)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.dispatch.catalogue.services import seed_district
from services.dispatch.models import (
    DirectoryGrid,
    DirectoryHousehold,
    DirectoryLink,
    DispatchSettings,
    Provider,
    ProviderKind,
    ServiceCategory,
    ServiceItem,
    TicketHistory,
)
from shared.context import tenant_scope
from shared.db.engine import make_sessionmaker
from tests.platform.tokens import TestIssuer


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

    async def add_provider(
        self,
        *,
        kind: str = ProviderKind.MEMBER_VOLUNTEER,
        grid: uuid.UUID | None = None,
        member_id: uuid.UUID | None = None,
        user_id: uuid.UUID | None = None,
        skills: list[str] | None = None,
        on_duty: bool = True,
        latitude: float | None = None,
        longitude: float | None = None,
        name: str = "志愿者",
        trained: bool = True,
    ) -> Provider:
        """A provider (a member volunteer unless ``kind`` says otherwise) with its pre-service training on record
        unless ``trained`` is False: new districts offer member volunteers tickets only after it."""

        async def add(session: AsyncSession) -> Provider:
            provider = Provider(
                kind=kind,
                name=name,
                member_id=member_id,
                user_id=user_id or uuid.uuid4(),
                grid_id=grid,
                skills=skills or [],
                on_duty=on_duty,
                latitude=latitude,
                longitude=longitude,
                pre_service_completed_at=datetime.now(UTC) if trained else None,
            )
            session.add(provider)
            await session.flush()
            return provider

        provider: Provider = await self.run(add)
        return provider

    async def link(self, household: uuid.UUID, member_id: uuid.UUID) -> None:
        async def add(session: AsyncSession) -> None:
            session.add(DirectoryLink(household_id=household, member_id=member_id))

        await self.run(add)


async def make_district(
    engine: AsyncEngine, name: str, *, grids: int = 2, households_per_grid: int = 3, require_pre_service: bool = True
) -> District:
    """A new district (pre-service training required, as seeded) or, with ``require_pre_service`` False, one as
    districts from before the rule are: member volunteers offered tickets whatever their training."""
    district = District(uuid.uuid4(), engine)

    async def build(session: AsyncSession) -> None:
        await seed_district(session)
        if not require_pre_service:
            await session.execute(update(DispatchSettings).values(require_pre_service=False))
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


def bearer(
    issuer: TestIssuer,
    tenant: uuid.UUID | None,
    roles: list[str],
    scope: str | None = None,
    user_id: uuid.UUID | None = None,
) -> dict[str, str]:
    return {"Authorization": f"Bearer {issuer.token(tenant=tenant, roles=roles, scope=scope, user_id=user_id)}"}


def operator(issuer: TestIssuer, district: District, user_id: uuid.UUID | None = None) -> dict[str, str]:
    return bearer(issuer, district.id, ["hotline_operator"], user_id=user_id or uuid.uuid4())


# --- clocks and escalation (test_clocks.py, test_escalation.py, test_deadline_restart.py) ----------------


def staff(
    issuer: TestIssuer, district: District, role: str = "district_admin", user_id: uuid.UUID | None = None
) -> dict[str, str]:
    return bearer(issuer, district.id, [role], user_id=user_id or uuid.uuid4())


def ticket_body(district: District, **overrides: object) -> dict[str, object]:
    """A 96345 call about a household of the district's first grid (citizen life: one day to resolve)."""
    body: dict[str, object] = {
        "channel": "phone",
        "title": "楼道灯坏了",
        "description": "三楼楼道灯不亮,老人夜里摸黑",
        "categoryId": str(district.categories["citizen_life"]),
        "householdId": str(district.households[0]),
    }
    body.update(overrides)
    return body


async def open_ticket(client: Any, issuer: TestIssuer, district: District, **overrides: object) -> dict[str, Any]:
    """A ticket recorded at the desk, through the API; returns its view."""
    response = await client.post(
        "/api/dispatch/tickets", json=ticket_body(district, **overrides), headers=operator(issuer, district)
    )
    assert response.status_code == 201, response.text
    ticket: dict[str, Any] = response.json()["ticket"]
    return ticket


async def make_overdue(district: District, ticket_id: object, kind: str, minutes: int = 1) -> int:
    """Let the ticket's waiting clock of ``kind`` run out ``minutes`` ago (as the app role, RLS applies)."""

    async def move_back(session: AsyncSession) -> int:
        result = await session.execute(
            text(
                "UPDATE deadline SET due_at = now() - make_interval(mins => :m) WHERE ticket_id = :t AND kind = :k "
                "AND fired_at IS NULL AND cancelled_at IS NULL"
            ),
            {"m": minutes, "t": uuid.UUID(str(ticket_id)), "k": kind},
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    moved: int = await district.run(move_back)
    return moved


async def events_of(district: District, event: str, ticket_id: object) -> list[dict[str, Any]]:
    """Payloads of one event type about one ticket in the district's outbox, oldest first."""

    async def read(session: AsyncSession) -> list[dict[str, Any]]:
        rows = await session.execute(
            text("SELECT payload FROM outbox_message WHERE event = :e AND payload->>'ticket_id' = :t ORDER BY id"),
            {"e": event, "t": str(ticket_id)},
        )
        return [dict(row[0]) for row in rows]

    found: list[dict[str, Any]] = await district.run(read)
    return found


# --- routing and the directory (test_routing.py, test_claim_race.py, test_directory.py) ---------------


def as_provider(issuer: TestIssuer, district: District, provider: Provider, role: str = "volunteer") -> dict[str, str]:
    """The token of the account that answers ``provider``'s offers."""
    return bearer(issuer, district.id, [role], user_id=provider.user_id)


async def deliver(district: District, event: str, settings: Any) -> int:
    """Apply the district's outbox rows of ``event`` through dispatch's consumer, as relay and worker would;
    returns how many were applied now (the inbox skips those applied before)."""
    import services.dispatch.directory.actors
    import services.dispatch.providers.actors
    import services.dispatch.routing.actors  # noqa: F401 - register their handlers on the consumer
    from services.dispatch.events import consumer

    async def read(session: AsyncSession) -> list[Any]:
        rows = await session.execute(
            text("SELECT id, event, payload, tenant_id, created_at FROM outbox_message WHERE event = :e ORDER BY seq"),
            {"e": event},
        )
        return list(rows)

    consumer._settings = settings
    applied = 0
    for row in await district.run(read):
        payload = dict(row.payload)
        version = int(payload.pop("version", 1))
        envelope = {
            "id": str(row.id),
            "event": row.event,
            "version": version,
            "tenant_id": str(row.tenant_id),
            "occurred_at": row.created_at.isoformat(),
            "payload": payload,
        }
        applied += await consumer.handle(envelope)
    return applied


# --- closure, rates, time bank and wishes (test_closure.py, test_rates.py, test_timebank.py, test_wishes.py) ---


async def put_ticket(
    district: District, *, grid: int = 0, category: str | None = "citizen_life", **values: Any
) -> uuid.UUID:
    """A ticket written straight to the database in whatever state ``values`` give (default: a unit-owned
    ticket signed for in the district's first grid); routing and clocks are tested apart."""
    from services.dispatch.models import Ticket

    async def add(session: AsyncSession) -> uuid.UUID:
        grid_id = district.grids[grid]
        fields: dict[str, Any] = {
            "number": f"T{uuid.uuid4().hex[:12]}",
            "channel": "phone",
            "title": "楼道灯坏了",
            "status": "assigned",
            "category_id": district.categories[category] if category else None,
            "grid_id": grid_id,
            "grid_path": district.grid_paths[grid_id],
            "unit_id": grid_id,
            "level_rank": 0,
        }
        ticket = Ticket(**(fields | values))
        session.add(ticket)
        await session.flush()
        return ticket.id

    ticket_id: uuid.UUID = await district.run(add)
    return ticket_id


async def set_ticket(district: District, ticket_id: object, **values: Any) -> None:
    """Change a ticket's columns directly (e.g. hand it to a provider as routing would have)."""
    from services.dispatch.models import Ticket

    async def change(session: AsyncSession) -> None:
        ticket = await session.get(Ticket, uuid.UUID(str(ticket_id)))
        assert ticket is not None
        for key, value in values.items():
            setattr(ticket, key, value)

    await district.run(change)


def volunteer(issuer: TestIssuer, district: District, user_id: uuid.UUID) -> dict[str, str]:
    return bearer(issuer, district.id, ["volunteer"], user_id=user_id)


async def history(district: District, ticket: str) -> list[TicketHistory]:
    """The ticket's history rows, oldest first, as stored."""

    async def read(session: AsyncSession) -> list[TicketHistory]:
        rows = await session.scalars(
            select(TicketHistory)
            .where(TicketHistory.ticket_id == uuid.UUID(ticket))
            .order_by(TicketHistory.at, TicketHistory.id)
        )
        return list(rows)

    found: list[TicketHistory] = await district.run(read)
    return found
