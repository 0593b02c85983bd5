"""System 7 of issue 16, Zhuji's mass archive [001/ZHJ] walked through the gateway (DSP-32): the village's cadre
files a household's sheet after the survey visit (family, income sources, assistance); the household's demand, taken
at the hotline, climbs to the village and is resolved, and the resident's situation feedback form is taken down;
the archive shows the demand with its resolution and form, names masked. The six-month round is recorded as a
refresh (who, when, what changed); an archive left for seven months is listed by the reminder until it is refreshed.
A cadre of another village and another district see none of it."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx

from shared.db.urls import admin_url, database_name, plain_dsn
from shared.settings import Settings
from tests.console.support import caller_household, escalate
from tests.seeds.conftest import RunningPlatform, auth, login, new_user

SHEET: dict[str, Any] = {
    "economicType": "planting",
    "members": [
        {
            "name": "何建华",
            "relation": "户主",
            "birthYear": 1958,
            "education": "初中",
            "politicalStatus": "群众",
            "health": "腿脚不便",
        },
        {"name": "楼秀芬", "relation": "配偶", "birthYear": 1960, "health": "良好"},
    ],
    "incomeSources": [{"kind": "land", "note": "承包土地3亩"}, {"kind": "crops", "note": "种植香榧"}],
    "assistance": [{"what": "高龄补贴", "source": "镇民政办", "on": "2026-01-15"}],
    "note": "摸排建档",
}


def ok(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201), (str(response.url), response.text)
    return response.json()


def age(settings: Settings, household_id: str, days: int) -> None:
    """Let the archive have been refreshed ``days`` ago (time passing, as shared/clock.py says tests do it)."""

    async def move() -> None:
        conn = await asyncpg.connect(plain_dsn(admin_url(settings, database_name("dispatch"))))
        try:
            await conn.execute(
                "UPDATE household_archive SET refreshed_at = now() - make_interval(days => $2) WHERE household_id = $1",
                uuid.UUID(household_id),
                days,
            )
        finally:
            await conn.close()

    asyncio.run(move())


def cadre_of(platform: RunningPlatform, prefix: str, grid: dict[str, Any]) -> dict[str, str]:
    """A community cadre of the grid's village, signed in: its headers."""
    village = grid["path"].rsplit("/", 2)[0] + "/"
    username = new_user(platform.gateway, platform.a.token, prefix, ["community_cadre"], scope=village)
    return auth(login(platform.gateway, username)["accessToken"])


def test_a_household_archive_is_filed_linked_to_its_demand_and_reminded(
    platform: RunningPlatform, settings: Settings
) -> None:
    gateway = platform.gateway
    caller = caller_household(platform)  # a street, its village and grid, a household served by a member
    household = caller.household["id"]
    cadre = cadre_of(platform, "zhuji", caller.grid)
    admin = auth(platform.a.token)
    archive_path = f"{gateway}/api/dispatch/archives/households/{household}"

    # 1. survey and file
    filed = ok(httpx.put(archive_path, json=SHEET, headers=cadre))
    assert [m["name"] for m in filed["members"]] == ["何**", "楼**"]
    assert filed["due"] is False

    # 2-4. the household's demand is taken, resolved at the village, and the resident fills in the feedback form
    body = {"channel": "visit", "title": "门前排水沟堵塞，雨天积水", "householdId": household}
    ticket = ok(httpx.post(f"{gateway}/api/dispatch/tickets", json=body, headers=admin))["ticket"]
    escalate(platform, platform.a.token, ticket, 1)  # to the village, whose cadre owns it now
    ok(
        httpx.post(
            f"{gateway}/api/dispatch/tickets/{ticket['id']}/resolution",
            json={"note": "已组织疏通排水沟"},
            headers=cadre,
        )
    )
    form = {"satisfied": True, "comment": "水沟通了，谢谢村里", "via": "phone"}
    ok(httpx.post(f"{gateway}/api/dispatch/tickets/{ticket['id']}/feedback", json=form, headers=admin))
    archive = ok(httpx.get(archive_path, headers=cadre))
    demand = next(d for d in archive["demands"] if d["ticketId"] == ticket["id"])
    assert (demand["number"], demand["status"], demand["resolutionNote"]) == (
        ticket["number"],
        "resolved",
        "已组织疏通排水沟",
    )
    assert [(f["satisfied"], f["comment"]) for f in demand["feedback"]] == [(True, "水沟通了，谢谢村里")]

    # 5. keep current: seven months on, the reminder lists it; the round's refresh takes it off
    age(settings, household, 210)
    reminder = ok(httpx.get(f"{gateway}/api/dispatch/archives", params={"due": "true"}, headers=cadre))
    assert household in [row["householdId"] for row in reminder["items"]]
    assert reminder["due"] >= 1
    kept = [{"id": filed["members"][0]["id"], "relation": "户主", "birthYear": 1958, "health": "已康复"}]
    refreshed = ok(
        httpx.put(
            archive_path,
            headers=cadre,
            json={**SHEET, "economicType": "low_income", "members": kept, "note": "半年大走访：配偶随子女迁居杭州"},
        )
    )
    assert refreshed["due"] is False
    assert [m["name"] for m in refreshed["members"]] == ["何**"]
    history = ok(httpx.get(f"{archive_path}/refreshes", headers=cadre))
    assert [r["changed"] for r in history] == [["economicType", "members"], ["created"]]
    assert all(r["at"] for r in history)
    reminder = ok(httpx.get(f"{gateway}/api/dispatch/archives", params={"due": "true"}, headers=cadre))
    assert household not in [row["householdId"] for row in reminder["items"]]

    # nobody else's: a cadre of another village, another district
    outsider = cadre_of(platform, "zhuji-o", caller_household(platform).grid)
    assert httpx.get(archive_path, headers=outsider).status_code == 404
    assert httpx.get(archive_path, headers=auth(platform.b.token)).status_code == 404
    assert httpx.put(archive_path, json=SHEET, headers=auth(platform.b.token)).status_code == 404
