"""Delegate and studio ledgers (DSP-30): an opinion a delegate or studio collected is forwarded to a department,
answered, fed back to the resident and evaluated by the delegate, each step after the one before; the dashboard
gives the share forwarded and the share answered of the opinions collected in a period."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import ProviderKind
from shared.clock import china_today
from tests.dispatch.builders import District, bearer, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
LEDGER = "/api/dispatch/ledgers"


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


async def studio(district: District, name: str = "福华社区党代表工作室") -> str:
    provider = await district.add_provider(kind=ProviderKind.EXPERT_STUDIO, name=name)
    return str(provider.id)


def opinion_body(collector: str, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {"collectorId": collector, "channel": "visit", "summary": "菜市场周边占道经营严重"}
    body.update(overrides)
    return body


async def collected(client: Client, headers: dict[str, str], body: dict[str, object]) -> dict[str, Any]:
    response = await client.post(f"{LEDGER}/opinions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_an_opinion_is_forwarded_answered_fed_back_and_evaluated(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    opinion = await collected(client, admin, opinion_body(await studio(district_a), details="居民多次反映"))
    assert (opinion["status"], opinion["collectorName"]) == ("collected", "福华社区党代表工作室")
    url = f"{LEDGER}/opinions/{opinion['id']}"
    early = await client.post(f"{url}/answer", json={"answer": "已整治"}, headers=admin)
    assert early.status_code == 409  # not forwarded yet
    for step, body, status in (
        ("forward", {"department": "区城管局"}, "forwarded"),
        ("answer", {"answer": "已安排执法队每日巡查"}, "answered"),
        ("feedback", {"feedback": "已电话告知反映人"}, "fed_back"),
        ("evaluate", {"evaluation": "satisfied", "note": "办理及时"}, "evaluated"),
    ):
        response = await client.post(f"{url}/{step}", json=body, headers=admin)
        assert response.status_code == 200, (step, response.text)
        assert response.json()["status"] == status
    seen = (await client.get(url, headers=admin)).json()
    assert (seen["department"], seen["evaluation"], seen["answeredOn"]) == (
        "区城管局",
        "satisfied",
        china_today().isoformat(),
    )
    assert (await client.post(f"{url}/forward", json={"department": "区住建局"}, headers=admin)).status_code == 409


async def test_the_dashboard_gives_the_share_forwarded_and_answered(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    first, second = await studio(district_a), await studio(district_a, "李代表（示例）")
    ids = [(await collected(client, admin, opinion_body(first, summary=f"意见{k}")))["id"] for k in range(4)]
    other = await collected(client, admin, opinion_body(second))
    for opinion_id in ids[:3]:
        await client.post(f"{LEDGER}/opinions/{opinion_id}/forward", json={"department": "街道办"}, headers=admin)
    await client.post(f"{LEDGER}/opinions/{ids[0]}/answer", json={"answer": "已解决"}, headers=admin)
    await client.post(f"{LEDGER}/opinions/{other['id']}/forward", json={"department": "区民政局"}, headers=admin)
    await client.post(f"{LEDGER}/opinions/{other['id']}/answer", json={"answer": "已答复"}, headers=admin)
    period = {"from": (china_today() - timedelta(days=7)).isoformat(), "to": china_today().isoformat()}
    board = (await client.get(f"{LEDGER}/dashboard", params=period, headers=admin)).json()
    total = board["total"]
    assert (total["opinions"], total["forwarded"], total["answered"]) == (5, 4, 2)
    assert (total["forwardedRate"], total["answeredRate"]) == (0.8, 0.4)
    by_name = {c["name"]: c for c in board["collectors"]}
    assert by_name["福华社区党代表工作室"]["forwardedRate"] == 0.75
    assert by_name["李代表（示例）"]["answeredRate"] == 1.0
    listed = (await client.get(f"{LEDGER}/opinions", params={"collectorId": first}, headers=admin)).json()
    assert listed["total"] == 4
    past = {"from": "2020-01-01", "to": "2020-12-31"}
    assert (await client.get(f"{LEDGER}/dashboard", params=past, headers=admin)).json()["total"][
        "forwardedRate"
    ] is None


async def test_bad_opinions_and_steps_are_refused_naming_the_field_and_nothing_is_stored(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    collector = await studio(district_a)
    team = str((await district_a.add_provider(kind=ProviderKind.PROFESSIONAL_TEAM, name="红船服务队")).id)
    tomorrow = (china_today() + timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, object], str]] = [
        (opinion_body(collector, channel="pigeon"), "channel"),
        (opinion_body(collector, summary=""), "summary"),
        (opinion_body(collector, summary=7), "summary"),
        (opinion_body(collector, collectedOn=tomorrow), "collectedOn"),
        (opinion_body(collector, collectedOn="today"), "collectedOn"),
        (opinion_body("studio-1"), "collectorId"),
        (opinion_body(team), "collectorId"),  # a team keeps no delegate ledger
        (opinion_body(collector, urgent=True), "urgent"),
    ]
    for body, field in cases:
        response = await client.post(f"{LEDGER}/opinions", json=body, headers=admin)
        assert response.status_code == 422, (field, response.text)
        assert f"body.{field}" in fields(response) or field in response.text, (field, response.text)
    unknown = await client.post(f"{LEDGER}/opinions", json=opinion_body(str(uuid.uuid4())), headers=admin)
    assert unknown.status_code == 404

    async def count(session: AsyncSession) -> int:
        return int(await session.scalar(text("SELECT count(*) FROM delegate_opinion")) or 0)

    assert await district_a.run(count) == 0
    opinion = await collected(client, admin, opinion_body(collector))
    url = f"{LEDGER}/opinions/{opinion['id']}"
    steps: list[tuple[str, dict[str, object], str]] = [
        ("forward", {"department": ""}, "body.department"),
        ("forward", {"department": "城管局", "on": tomorrow}, "body.on"),
        ("forward", {"department": "城管局", "on": "2020-01-01"}, "body.on"),  # before it was collected
        ("forward", {"department": 12}, "body.department"),
    ]
    for step, body, field in steps:
        response = await client.post(f"{url}/{step}", json=body, headers=admin)
        assert response.status_code == 422, (step, body, response.text)
        assert field in fields(response), response.text
    assert (await client.get(url, headers=admin)).json()["status"] == "collected"
    for step in ("forward", "answer", "feedback"):
        texts = {"department": "城管局", "answer": "已办", "feedback": "已告知"}
        key = {"forward": "department", "answer": "answer", "feedback": "feedback"}[step]
        assert (await client.post(f"{url}/{step}", json={key: texts[key]}, headers=admin)).status_code == 200
    bad = await client.post(f"{url}/evaluate", json={"evaluation": "great"}, headers=admin)
    assert bad.status_code == 422
    assert fields(bad) == ["body.evaluation"]
    for query, name in (
        ({"from": "2026-13-01", "to": "2026-12-01"}, "query.from"),
        ({"from": "2026-12-01"}, "query.to"),
    ):
        response = await client.get(f"{LEDGER}/dashboard", params=query, headers=admin)
        assert response.status_code == 422
        assert name in fields(response)
    assert (await client.get(f"{LEDGER}/opinions?status=lost", headers=admin)).status_code == 422


async def test_another_districts_opinion_and_studio_are_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin = staff(issuer, district_a)
    collector = await studio(district_a)
    opinion = await collected(client, admin, opinion_body(collector))
    other = staff(issuer, district_b)
    url = f"{LEDGER}/opinions/{opinion['id']}"
    assert (await client.get(url, headers=other)).status_code == 404
    assert (await client.post(f"{url}/forward", json={"department": "城管局"}, headers=other)).status_code == 404
    assert (await client.post(f"{LEDGER}/opinions", json=opinion_body(collector), headers=other)).status_code == 404
    assert (await client.get(f"{LEDGER}/opinions", headers=other)).json()["total"] == 0
    assert collector in {c["id"] for c in (await client.get(f"{LEDGER}/collectors", headers=admin)).json()}
    assert (await client.get(f"{LEDGER}/collectors", headers=other)).json() == []
    volunteer = bearer(issuer, district_a.id, ["volunteer"], user_id=uuid.uuid4())
    assert (await client.get(f"{LEDGER}/opinions", headers=volunteer)).status_code == 403
