"""The demo's parts of issue 16's systems 5-7 (``services/dispatch/demo/``): Ouhai's 7171 lines per level, Jinghai's
village station catalogue (46 items: 24 on the spot, 22 by proxy) with SMS at every step, and Zhuji's archives with
some overdue for their six-month round; loading again changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.demo.jinghai_steps import load_jinghai_steps
from services.dispatch.demo.loader import desk_of
from services.dispatch.demo.ouhai_numbers import load_ouhai_numbers
from services.dispatch.demo.zhuji_archive import load_zhuji_archive
from services.dispatch.models import ServiceCategory, ServiceItem, Ticket
from services.dispatch.tickets.services import TicketService
from shared.http.di import build_service
from tests.dispatch.builders import District, operator, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]


async def loaded(district: District, load: Any) -> str:
    async def run(session: AsyncSession) -> str:
        line: str = await load(session, build_service(TicketService, session, desk_of(district.id)))
        return line

    found: str = await district.run(run)
    return found


async def test_ouhai_gets_a_7171_number_per_level(client: Client, issuer: TestIssuer, district_a: District) -> None:
    line = await loaded(district_a, load_ouhai_numbers)

    numbers = (await client.get("/api/dispatch/numbers", headers=operator(issuer, district_a))).json()
    assert [n["unitLevel"] for n in numbers] == ["district", "street", "village"]
    assert all(n["number"].endswith("7171") and n["synthetic"] and "示例" in n["label"] for n in numbers)
    assert line.startswith("7171 numbers: 3")
    assert await loaded(district_a, load_ouhai_numbers) == "7171 numbers already loaded"


async def test_jinghai_village_station_catalogue_is_split_24_and_22(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    await loaded(district_a, load_jinghai_steps)

    async def split(session: AsyncSession) -> dict[str, int]:
        rows = await session.execute(
            select(ServiceItem.handling, func.count())
            .join(ServiceCategory, ServiceCategory.id == ServiceItem.category_id)
            .where(ServiceCategory.code == "village_station")
            .group_by(ServiceItem.handling)
        )
        return {handling: int(count) for handling, count in rows}

    assert await district_a.run(split) == {"on_spot": 24, "proxy": 22}
    setting = (await client.get("/api/dispatch/stages/settings", headers=operator(issuer, district_a))).json()
    assert setting["notifyEveryStage"] is True
    tickets = (await client.get("/api/dispatch/tickets", headers=operator(issuer, district_a))).json()["items"]
    assert sorted(t["stage"] for t in tickets) == ["classify", "route"]
    assert await loaded(district_a, load_jinghai_steps) == "five steps already loaded"


async def test_zhuji_archives_with_the_overdue_ones_in_the_reminder(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    async def load(session: AsyncSession, desk: TicketService) -> str:
        return await load_zhuji_archive(session, district_a.id, desk)

    line = await loaded(district_a, load)

    reminder = (
        await client.get("/api/dispatch/archives", params={"due": "true"}, headers=staff(issuer, district_a))
    ).json()
    assert (reminder["total"], reminder["due"]) == (6, 3)
    assert all(row["headName"] and "*" in row["headName"] for row in reminder["items"])
    assert line == "household archives: 6, 3 overdue for their six-month round"
    first = sorted(district_a.households)[0]
    archive = (await client.get(f"/api/dispatch/archives/households/{first}", headers=staff(issuer, district_a))).json()
    assert [d["title"] for d in archive["demands"]] == ["家门口排水沟堵塞，雨天积水"]

    async def tickets(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(Ticket)) or 0)

    before = await district_a.run(tickets)
    assert await loaded(district_a, load) == "household archives already loaded"
    assert await district_a.run(tickets) == before
    assert uuid.UUID(archive["householdId"]) == first
