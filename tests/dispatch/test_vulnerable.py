"""The vulnerable-group registry (DSP-09): a household registered as empty-nest, disabled or living alone is
paired with a member volunteer of its grid, who visits it on the district's interval; the missed-visit report
counts the intervals the volunteer let pass."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import VulnerableHousehold
from services.dispatch.vulnerable.services import missed_periods
from tests.dispatch.builders import District, bearer, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
REGISTRY = "/api/dispatch/vulnerable"


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


async def volunteer(district: District, grid: int = 0, name: str = "沈美华") -> tuple[str, uuid.UUID]:
    """A member volunteer of the district's ``grid`` with a login: (provider id, user id)."""
    user = uuid.uuid4()
    provider = await district.add_provider(member_id=uuid.uuid4(), user_id=user, name=name, grid=district.grids[grid])
    return str(provider.id), user


async def register(client: Client, admin: dict[str, str], district: District, **body: object) -> Any:
    payload: dict[str, object] = {"householdId": str(district.households[0]), "categories": ["empty_nest"]}
    payload.update(body)
    return await client.post(REGISTRY, json=payload, headers=admin)


async def test_a_household_is_registered_paired_and_visited_by_its_volunteer(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    provider, user = await volunteer(district_a)
    await volunteer(district_a, grid=1, name="别网格")  # not a candidate: another grid

    created = await register(client, admin, district_a, categories=["empty_nest", "disabled"], note="子女在外地")
    assert created.status_code == 201, created.text
    registration = created.json()
    assert registration["volunteerId"] is None
    assert registration["due"] is False
    candidates = (await client.get(f"{REGISTRY}/{registration['id']}/candidates", headers=admin)).json()
    assert [(c["id"], c["name"], c["pairedHouseholds"]) for c in candidates] == [(provider, "沈美华", 0)]

    paired = await client.put(
        f"{REGISTRY}/{registration['id']}/volunteer", json={"volunteerId": provider}, headers=admin
    )
    assert paired.status_code == 200, paired.text
    assert (paired.json()["volunteerName"], paired.json()["due"]) == ("沈美华", True)  # paired, never visited

    me = bearer(issuer, district_a.id, ["member"], user_id=user)
    mine = (await client.get(REGISTRY, headers=me)).json()
    assert [r["id"] for r in mine] == [registration["id"]]
    at = datetime.now(UTC)  # visits before the pairing are not the volunteer's to count
    visit = await client.post(
        f"{REGISTRY}/{registration['id']}/visits",
        json={"visitedAt": at.isoformat(), "channel": "in_person", "note": "老人精神不错"},
        headers=me,
    )
    assert visit.status_code == 201, visit.text
    # one visit model: the household's micro-visits show it
    visits = (
        await client.get("/api/dispatch/visits", params={"householdId": str(district_a.households[0])}, headers=admin)
    ).json()
    assert [(v["id"], v["note"]) for v in visits] == [(visit.json()["id"], "老人精神不错")]
    shown = (await client.get(f"{REGISTRY}/{registration['id']}", headers=admin)).json()
    assert shown["due"] is False
    assert shown["lastVisitedAt"] is not None
    only_disabled = (await client.get(REGISTRY, params={"category": "living_alone"}, headers=admin)).json()
    assert only_disabled == []


async def test_the_missed_visit_report_counts_intervals_without_a_visit(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    provider, user = await volunteer(district_a)
    paired = (await register(client, admin, district_a, volunteerId=provider)).json()
    lonely = (await register(client, admin, district_a, householdId=str(district_a.households[1]))).json()
    at = datetime.now(UTC)

    async def paired_three_weeks_ago(session: AsyncSession) -> None:
        await session.execute(
            update(VulnerableHousehold)
            .where(VulnerableHousehold.id == uuid.UUID(paired["id"]))
            .values(paired_at=at - timedelta(days=21, hours=1))
        )

    await district_a.run(paired_three_weeks_ago)
    me = bearer(issuer, district_a.id, ["volunteer"], user_id=user)
    body = {"visitedAt": (at - timedelta(days=10)).isoformat(), "channel": "phone"}  # in the second week only
    assert (await client.post(f"{REGISTRY}/{paired['id']}/visits", json=body, headers=me)).status_code == 201

    report = (await client.get(f"{REGISTRY}/missed", headers=admin)).json()
    assert (report["intervalDays"], report["registered"], report["unpaired"], report["due"]) == (7, 2, 1, 1)
    rows = [(i["registration"]["id"], i["periods"], i["missedPeriods"]) for i in report["items"]]
    assert rows == [(lonely["id"], 0, 0), (paired["id"], 3, 2)]


def test_missed_periods_counts_whole_intervals() -> None:
    start, week = datetime(2026, 11, 2, tzinfo=UTC), timedelta(days=7)
    visits = [start + timedelta(days=1), start + timedelta(days=15)]
    assert missed_periods(start, visits, week, start + timedelta(days=29)) == (4, 2)
    assert missed_periods(start, [], week, start + timedelta(days=6)) == (0, 0)


async def test_bad_registrations_pairings_and_visits_are_refused_and_store_nothing(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    other_grid, _ = await volunteer(district_a, grid=1)
    bad = await register(client, admin, district_a, categories=["elderly"])
    assert (bad.status_code, fields(bad)) == (422, ["body.categories[0]"])
    assert fields(await register(client, admin, district_a, categories=[])) == ["body.categories"]
    assert fields(await register(client, admin, district_a, categories="empty_nest")) == ["body.categories"]
    assert fields(await register(client, admin, district_a, categories=["disabled", "disabled"])) == ["body.categories"]
    assert fields(await register(client, admin, district_a, volunteerId=other_grid)) == ["body.volunteerId"]
    assert fields(await register(client, admin, district_a, volunteerId=str(uuid.uuid4()))) == ["body.volunteerId"]
    assert fields(await register(client, admin, district_a, householdId=12)) == ["body.householdId"]
    assert (await client.get(REGISTRY, headers=admin)).json() == []  # nothing stored

    first = await register(client, admin, district_a)
    assert (await register(client, admin, district_a)).status_code == 409
    registration = first.json()["id"]
    pair = await client.put(f"{REGISTRY}/{registration}/volunteer", json={"volunteerId": other_grid}, headers=admin)
    assert (pair.status_code, fields(pair)) == (422, ["body.volunteerId"])
    for body, field in (
        ({"visitedAt": datetime.now(UTC).isoformat(), "channel": "carrier_pigeon"}, "body.channel"),
        ({"visitedAt": (datetime.now(UTC) + timedelta(days=1)).isoformat(), "channel": "phone"}, "body.visitedAt"),
        ({"visitedAt": "2026-12-01T09:00:00", "channel": "phone"}, "body.visitedAt"),
        ({"visitedAt": datetime.now(UTC).isoformat(), "channel": "phone", "extra": 1}, "body.extra"),
    ):
        refused = await client.post(f"{REGISTRY}/{registration}/visits", json=body, headers=admin)
        assert (refused.status_code, fields(refused)) == (422, [field]), refused.text
    assert (await client.get(f"{REGISTRY}?category=elderly", headers=admin)).status_code == 422


async def test_another_districts_households_and_registrations_are_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin_a, admin_b = staff(issuer, district_a), staff(issuer, district_b)
    theirs = await register(client, admin_a, district_b)  # district B's household, asked in district A
    assert theirs.status_code == 404
    registration = (await register(client, admin_b, district_b)).json()["id"]
    provider, user = await volunteer(district_a)
    for response in (
        await client.get(f"{REGISTRY}/{registration}", headers=admin_a),
        await client.get(f"{REGISTRY}/{registration}/candidates", headers=admin_a),
        await client.put(f"{REGISTRY}/{registration}/volunteer", json={"volunteerId": provider}, headers=admin_a),
        await client.post(
            f"{REGISTRY}/{registration}/visits",
            json={"visitedAt": datetime.now(UTC).isoformat(), "channel": "phone"},
            headers=admin_a,
        ),
    ):
        assert response.status_code == 404, response.text
    # a volunteer not paired with a household of their own district cannot open it either
    mine = (await register(client, admin_a, district_a)).json()["id"]
    stranger = bearer(issuer, district_a.id, ["member"], user_id=user)
    assert (await client.get(f"{REGISTRY}/{mine}", headers=stranger)).status_code == 404
    assert (await client.get(f"{REGISTRY}/missed", headers=stranger)).status_code == 403
