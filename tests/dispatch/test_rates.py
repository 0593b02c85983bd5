"""三率: response, resolution and satisfaction rates per grid, village, street and provider."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Feedback, TicketHistory
from services.dispatch.reports.services import unit_rates
from tests.dispatch.builders import District, bearer, operator, put_ticket
from tests.platform.tokens import TestIssuer

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


async def add_rows(district: District, *rows: Any) -> None:
    async def add(session: AsyncSession) -> None:
        session.add_all(rows)

    await district.run(add)


async def november(district: District) -> dict[str, uuid.UUID]:
    """Tickets received in November 2026 (and just outside it) with known outcomes; returns the provider."""
    provider = await district.add_provider(name="红船服务队")
    in_time = await put_ticket(
        district,
        provider_id=provider.id,
        status="closed",
        created_at=at(3, 9, 50),
        dispatched_at=at(3, 10),
        accepted_at=at(3, 10, 20),
    )
    late = await put_ticket(
        district,
        provider_id=provider.id,
        status="resolved",
        created_at=at(4, 9, 50),
        dispatched_at=at(4, 10),
        accepted_at=at(4, 11),
    )
    await put_ticket(district, status="routing", created_at=at(5, 8))
    await put_ticket(district, status="cancelled", created_at=at(5, 9))
    await put_ticket(district, status="merged", created_at=at(5, 10))
    unit_case = await put_ticket(district, grid=1, status="assigned", created_at=at(6, 8))
    await put_ticket(district, grid=1, status="new", category=None, created_at=at(30, 23, 30))
    await put_ticket(district, grid=1, status="closed", created_at=at(31, 23, 30, month=10))  # October
    await add_rows(
        district,
        Feedback(ticket_id=in_time, satisfied=True, given_at=at(7, 9)),
        Feedback(ticket_id=late, satisfied=True, given_at=at(7, 9)),
        Feedback(ticket_id=late, satisfied=False, given_at=at(8, 9)),  # the latest counts
        TicketHistory(
            ticket_id=unit_case, action="accepted", actor="system:test", at=at(6, 8, 10), to_status="assigned"
        ),
    )
    return {"provider": provider.id}


def counts(unit: dict[str, Any]) -> tuple[int, ...]:
    return unit["tickets"], unit["responded"], unit["resolved"], unit["rated"], unit["satisfied"]


async def test_rates_per_grid_with_a_documented_definition(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    await november(district_a)
    await november(district_b)  # another district's tickets never count here
    response = await client.get(
        "/api/dispatch/reports/rates", params={**NOVEMBER, "by": "grid"}, headers=operator(issuer, district_a)
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["from"], report["to"], report["by"]) == ("2026-11-01", "2026-11-30", "grid")
    first, second = report["units"]  # best score first; a unit without a score last
    assert first["unitId"] == str(district_a.grids[0])
    assert first["name"] == "第1网格"
    assert first["ancestors"] == ["龙湾区", "状元街道", "瑶溪村"]
    assert counts(first) == (3, 1, 2, 2, 1)
    assert (first["responseRate"], first["resolutionRate"], first["satisfactionRate"]) == (0.3333, 0.6667, 0.5)
    assert first["score"] == 50.83  # 30% · 0.3333 + 35% · 0.6667 + 35% · 0.5
    assert second["unitId"] == str(district_a.grids[1])
    assert counts(second) == (2, 1, 0, 0, 0)
    assert second["satisfactionRate"] is None
    assert second["score"] is None
    assert counts(report["total"]) == (5, 2, 2, 2, 1)


async def test_rates_per_village_street_and_provider(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ids = await november(district_a)
    desk = operator(issuer, district_a)
    for by, unit_id, name, ancestors in (
        ("village", district_a.village, "瑶溪村", ["龙湾区", "状元街道"]),
        ("street", district_a.street, "状元街道", ["龙湾区"]),
    ):
        report = (await client.get("/api/dispatch/reports/rates", params={**NOVEMBER, "by": by}, headers=desk)).json()
        [unit] = report["units"]
        assert (unit["unitId"], unit["name"], unit["ancestors"]) == (str(unit_id), name, ancestors)
        assert counts(unit) == (5, 2, 2, 2, 1)
    report = (
        await client.get("/api/dispatch/reports/rates", params={**NOVEMBER, "by": "provider"}, headers=desk)
    ).json()
    by_unit = {u["unitId"]: u for u in report["units"]}
    assert by_unit[str(ids["provider"])]["name"] == "红船服务队"
    assert counts(by_unit[str(ids["provider"])]) == (2, 1, 2, 2, 1)
    assert counts(by_unit[None]) == (3, 1, 0, 0, 0)  # handled by units, or nobody signed yet


async def test_staff_confined_to_a_subtree_count_only_its_tickets(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    await november(district_a)
    leader = bearer(issuer, district_a.id, ["grid_leader"], scope=district_a.grid_paths[district_a.grids[1]])
    report = (
        await client.get("/api/dispatch/reports/rates", params={**NOVEMBER, "by": "village"}, headers=leader)
    ).json()
    assert [counts(u) for u in report["units"]] == [(2, 1, 0, 0, 0)]
    cadre = bearer(issuer, district_a.id, ["community_cadre"], scope=f"/{district_a.root.hex[:8]}/")
    whole = (await client.get("/api/dispatch/reports/rates", params=NOVEMBER, headers=cadre)).json()
    assert counts(whole["total"]) == (5, 2, 2, 2, 1)
    volunteer = bearer(issuer, district_a.id, ["volunteer"])
    assert (await client.get("/api/dispatch/reports/rates", params=NOVEMBER, headers=volunteer)).status_code == 403


async def test_an_empty_period_has_no_rates(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    await november(district_a)
    report = (
        await client.get(
            "/api/dispatch/reports/rates",
            params={"from": "2026-12-01", "to": "2026-12-01"},
            headers=operator(issuer, district_a),
        )
    ).json()
    assert report["units"] == []
    assert counts(report["total"]) == (0, 0, 0, 0, 0)
    assert report["total"]["responseRate"] is None
    one_day = (
        await client.get(
            "/api/dispatch/reports/rates",
            params={"from": "2026-11-30", "to": "2026-11-30"},
            headers=operator(issuer, district_a),
        )
    ).json()
    assert counts(one_day["total"]) == (1, 0, 0, 0, 0)  # 23:30 in Shanghai is still the 30th


async def test_bad_periods_and_groupings_are_refused_naming_the_parameter(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    desk = operator(issuer, district_a)
    cases = {
        "query.from": {"from": "2026-11-30", "to": "2026-11-01"},
        "query.by": {**NOVEMBER, "by": "county"},
        "query.to": {"from": "2025-01-01", "to": "2026-11-30"},
    }
    for field, params in cases.items():
        response = await client.get("/api/dispatch/reports/rates", params=params, headers=desk)
        assert response.status_code == 422, (field, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in response.json()["errors"]] == [field]
    for bad in ("2026-13-01", "20261101", "yesterday"):
        malformed = await client.get(
            "/api/dispatch/reports/rates", params={"from": bad, "to": "2026-11-30"}, headers=desk
        )
        assert malformed.status_code == 422, malformed.text
        assert [e["field"] for e in malformed.json()["errors"]] == ["query.from"]
    missing = await client.get("/api/dispatch/reports/rates", params={"from": "2026-11-01"}, headers=desk)
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["query.to"]


def test_the_weights_are_thirty_thirty_five_thirty_five() -> None:
    perfect = unit_rates(None, None, [], (4, 4, 4, 2, 2))
    assert perfect.score == 100.0
    assert unit_rates(None, None, [], (4, 4, 0, 2, 0)).score == 30.0
    assert unit_rates(None, None, [], (4, 0, 4, 0, 0)).score is None  # nothing rated: no satisfaction rate
