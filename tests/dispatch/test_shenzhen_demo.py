"""The demo's proposal box reproduces Futian 福华社区's figure [001/SZ-24]: the closure-rate report over the past
year, computed from the loaded proposals, reads 85 of 112 closed, 75.9 %; the delegate ledger's dashboard counts
what its studio forwarded and answered. A second load changes nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.demo.loader import desk_of
from services.dispatch.demo.scores import ORDERS
from services.dispatch.demo.shenzhen import load_shenzhen
from services.dispatch.models import ProviderKind
from shared.clock import china_today
from tests.dispatch.builders import District, staff
from tests.platform.tokens import TestIssuer


async def test_the_demo_proposals_close_759_percent_and_the_ledger_is_counted(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    async def load(session: AsyncSession) -> str:
        return await load_shenzhen(session, desk_of(district_a.id))

    assert "no members" in await district_a.run(load)  # orgtree's events have not brought members yet
    for name in ("王志强", "李春梅", "陈建华"):
        await district_a.add_provider(member_id=uuid.uuid4(), name=name, grid=district_a.grids[0])
    for name in ("红船服务队", "法律援助服务队（示例）"):  # teams with their logins (``logins.py``)
        await district_a.add_provider(kind=ProviderKind.PROFESSIONAL_TEAM, name=name)
    assert "112 filed" in await district_a.run(load)
    assert "already loaded" in await district_a.run(load)

    admin = staff(issuer, district_a)
    year = {"from": (china_today() - timedelta(days=365)).isoformat(), "to": china_today().isoformat()}
    report = (await client.get("/api/dispatch/proposals/report", params=year, headers=admin)).json()
    total = report["total"]
    assert (total["closed"], total["proposals"]) == (85, 112)
    assert f"{total['closureRate'] * 100:.1f}" == "75.9"
    assert sum(report["closedByTier"].values()) == total["closed"]
    assert report["closedByTier"]["district"] > 0
    assert report["closedByTier"]["street"] > 0
    joint = (await client.get("/api/dispatch/proposals", params={"limit": 200}, headers=admin)).json()
    assert joint["total"] == 112
    assert any(len(p["proposerMemberIds"]) > 1 for p in joint["items"])

    board = (await client.get("/api/dispatch/ledgers/dashboard", params=year, headers=admin)).json()
    opinions = (await client.get("/api/dispatch/ledgers/opinions", params={"limit": 200}, headers=admin)).json()
    forwarded = sum(1 for o in opinions["items"] if o["status"] != "collected")
    assert board["total"]["opinions"] == opinions["total"]
    assert board["total"]["forwardedRate"] == round(forwarded / opinions["total"], 4)
    assert board["total"]["forwardedRate"] < 1.0  # the newest opinion is still in hand

    # the teams' orders, scored by the served people: averaged per team as its orders were scored
    today = {"from": china_today().isoformat(), "to": china_today().isoformat()}
    scores = (await client.get("/api/dispatch/ledgers/scores", params=today, headers=admin)).json()
    turns = (ORDERS[0::2], ORDERS[1::2])  # the two teams take the orders in turn

    def mean(values: list[int]) -> float:
        return round(sum(values) / len(values), 2)

    teams = sorted((d["rated"], d["handler"], d["result"]) for d in scores["departments"])
    assert teams == sorted((len(turn), mean([o[1] for o in turn]), mean([o[4] for o in turn])) for turn in turns)
    assert scores["total"]["rated"] == len(ORDERS)
    assert scores["total"]["satisfied"] == sum(1 for order in ORDERS if order[5])
