"""The served people's scores per department (DSP-19): each ticket's latest feedback in the period, averaged per
handling provider, the unit's own cases together, for export into departments' performance scores."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from litestar.testing import AsyncTestClient

from services.dispatch.models import ProviderKind
from shared.clock import china_today
from tests.dispatch.builders import District, operator, put_ticket, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
SCORES = "/api/dispatch/ledgers/scores"


async def rated(
    client: Client, issuer: TestIssuer, district: District, provider: uuid.UUID | None, *forms: Mapping[str, object]
) -> None:
    """A resolved ticket handled by ``provider`` (None: by its unit) and the feedback forms taken on it, in order."""
    ticket = await put_ticket(district, status="resolved", provider_id=provider, resolution_note="已修好")
    for form in forms:
        given = await client.post(
            f"/api/dispatch/tickets/{ticket}/feedback",
            json={"via": "phone", **form},
            headers=operator(issuer, district),
        )
        assert given.status_code == 201, given.text


async def test_scores_are_averaged_per_department_by_each_tickets_latest_feedback(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    team = (await district_a.add_provider(kind=ProviderKind.PROFESSIONAL_TEAM, name="红船服务队")).id
    studio = (await district_a.add_provider(kind=ProviderKind.EXPERT_STUDIO, name="骆叶青志愿者工作室")).id
    full = {"satisfied": True, "handlerScore": 5, "stationScore": 4, "processScore": 4, "resultScore": 5}
    await rated(client, issuer, district_a, team, full)
    # the first form is replaced by the second: only the latest counts
    await rated(
        client,
        issuer,
        district_a,
        team,
        {"satisfied": True, "handlerScore": 1},
        {"satisfied": True, "handlerScore": 3, "resultScore": 3},
    )
    await rated(client, issuer, district_a, studio, {"satisfied": True, "handlerScore": 2, "processScore": 2})
    await rated(client, issuer, district_a, None, {"satisfied": True, "handlerScore": 4})
    await rated(client, issuer, district_a, studio, {"satisfied": True})  # no score: not counted

    today = china_today().isoformat()
    report = (await client.get(SCORES, params={"from": today, "to": today}, headers=staff(issuer, district_a))).json()
    by_name = {d["name"]: d for d in report["departments"]}
    red = by_name["红船服务队"]
    assert (red["rated"], red["handler"], red["station"], red["result"]) == (2, 4.0, 4.0, 4.0)
    assert red["overall"] == round((4.0 + 4.0 + 4.0 + 4.0) / 4, 2)
    assert (by_name["骆叶青志愿者工作室"]["rated"], by_name["骆叶青志愿者工作室"]["process"]) == (1, 2.0)
    assert by_name[None]["handler"] == 4.0  # the unit's own cases
    assert report["total"]["rated"] == 4
    assert report["total"]["handler"] == round((5 + 3 + 2 + 4) / 4, 2)
    assert report["departments"][0]["name"] == "红船服务队"  # best overall first
    yesterday = china_today().toordinal() - 1
    past = china_today().fromordinal(yesterday).isoformat()
    assert (await client.get(SCORES, params={"from": past, "to": past}, headers=staff(issuer, district_a))).json()[
        "total"
    ]["rated"] == 0


async def test_bad_periods_are_422_and_another_district_counts_nothing_of_ours(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin = staff(issuer, district_a)
    for query, name in (
        ({"from": "today", "to": "2026-12-01"}, "query.from"),
        ({"from": "2026-12-01"}, "query.to"),
        ({"from": "2026-12-05", "to": "2026-12-01"}, "query.from"),
        ({"from": "2024-01-01", "to": "2026-12-01"}, "query.to"),
    ):
        response = await client.get(SCORES, params=query, headers=admin)
        assert response.status_code == 422, response.text
        assert name in [e["field"] for e in response.json()["errors"]]
    team = (await district_a.add_provider(kind=ProviderKind.PROFESSIONAL_TEAM, name="红船服务队")).id
    await rated(client, issuer, district_a, team, {"satisfied": True, "handlerScore": 5})
    today = china_today().isoformat()
    theirs = (await client.get(SCORES, params={"from": today, "to": today}, headers=staff(issuer, district_b))).json()
    assert (theirs["total"]["rated"], theirs["departments"]) == (0, [])
