"""The demo's rest of Yaoxi's red-cell network in 龙湾区 [000]: the mass-service days on the 25th and the red-vest
Tuesdays with their rosters and the people served, the village's micro-fund paying for a wish, and today's issue
meeting with the escalated case on its agenda. Nothing is written before orgtree's events have brought a village;
a second load changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.demo.loader import desk_of
from services.dispatch.demo.yaoxi import load_yaoxi
from services.dispatch.models import DirectoryGrid
from tests.dispatch.builders import District, staff
from tests.platform.tokens import TestIssuer


async def test_the_demo_holds_campaign_days_a_funded_wish_and_a_meeting_agenda(
    client: AsyncTestClient[Any], issuer: TestIssuer, new_district: Any
) -> None:
    empty: District = await new_district("空区", "empty")

    async def wipe(session: AsyncSession) -> None:  # a district before orgtree's events
        await session.execute(delete(DirectoryGrid))

    await empty.run(wipe)
    assert "no village here yet" in await empty.run(lambda s: load_yaoxi(s, desk_of(empty.id)))

    district: District = await new_district("龙湾区", "wenzhou-longwan")
    for name in ("陈丽华", "王建国", "李明"):
        await district.add_provider(member_id=uuid.uuid4(), name=name, grid=district.grids[0])
    printed = await district.run(lambda s: load_yaoxi(s, desk_of(district.id)))
    assert "campaign days: 5 in 瑶溪村" in printed
    assert "already loaded" in await district.run(lambda s: load_yaoxi(s, desk_of(district.id)))

    admin = staff(issuer, district)
    days = (await client.get("/api/dispatch/campaigns", headers=admin)).json()
    assert sorted(d["kind"] for d in days) == ["mass_service"] * 2 + ["red_vest"] * 3
    assert all(d["duties"] == 3 and d["peopleServed"] > 0 for d in days)
    assert {d["heldOn"][8:] for d in days if d["kind"] == "mass_service"} == {"25"}
    one = (await client.get(f"/api/dispatch/campaigns/{days[0]['id']}", headers=admin)).json()
    assert {r["vest"] for r in one["roster"]} == {"红马甲·陈丽华", "红马甲·王建国", "红马甲·李明"}

    ledger = (await client.get(f"/api/dispatch/fund/villages/{district.village}", headers=admin)).json()
    assert ledger["fund"]["balance"] == "4850.00"
    assert [e["kind"] for e in ledger["entries"]] == ["disbursement", "donation", "donation"]
    assert ledger["entries"][0]["wishId"] is not None

    (meeting,) = (await client.get("/api/dispatch/agendas/meetings", headers=admin)).json()
    full = (await client.get(f"/api/dispatch/agendas/meetings/{meeting['id']}", headers=admin)).json()
    assert [(c["ticketTitle"], c["levelName"]) for c in full["agenda"]] == [
        ("村口路灯不亮，夜间出行不便", "村红领提事会")
    ]
    assert full["decided"] == 0
