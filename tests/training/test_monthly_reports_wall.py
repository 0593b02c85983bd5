"""The performance wall (TRN-06): a month's members with only the figures the district made public, ordered by the
first of them; and the scheduler generating every district's last month once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.models import MonthlyReport
from services.training.reports.months import this_month
from services.training.reports.sweeps import generate_last_month
from shared.contracts.training import MonthlyReportGenerated
from shared.settings import Settings
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, attendee, bearer, organiser
from tests.training.points_support import with_categories
from tests.training.test_monthly_reports import attend, report_rows

Client = AsyncTestClient[Any]
WALL = "/api/training/wall"
SETTINGS = "/api/training/wall/settings"
EVERY_FIGURE = {
    "services",
    "wishes",
    "serviceHours",
    "sessions",
    "creditHours",
    "commitmentsPublished",
    "commitmentsEvaluated",
    "commitmentScore",
    "points",
}


async def test_the_wall_shows_only_the_public_fields_ordered_by_the_first(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    await with_categories(district_a)
    month = this_month()
    at = month.starts_at + timedelta(hours=1)
    keen = await district_a.add_member("林志红")
    busy = await district_a.add_member("陈海燕")
    for hours in ("1", "1", "1"):
        await attend(settings, district_a, keen, hours, at)
    await attend(settings, district_a, busy, "8", at)  # fewer sessions, more points
    admin = bearer(organiser(issuer, district_a))
    await client.post(f"/api/training/reports/monthly/{month.label}/generate", headers=admin)

    shown = await client.get(SETTINGS, headers=admin)
    assert shown.json()["fields"] == ["points", "services", "serviceHours", "sessions", "creditHours"]
    assert set(shown.json()["available"]) == EVERY_FIGURE
    chosen = await client.put(SETTINGS, json={"fields": ["sessions", "creditHours"]}, headers=admin)
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["fields"] == ["sessions", "creditHours"]

    as_member = bearer(attendee(issuer, district_a, keen))
    wall = await client.get(WALL, params={"month": month.label}, headers=as_member)
    assert wall.status_code == 200, wall.text
    body = wall.json()
    assert (body["month"], body["fields"]) == (month.label, ["sessions", "creditHours"])
    assert [(item["name"], item["sessions"], item["creditHours"]) for item in body["items"]] == [
        ("林志红", 3, "3.0"),
        ("陈海燕", 1, "8.0"),
    ]
    for item in body["items"]:
        assert not (EVERY_FIGURE - {"sessions", "creditHours"}) & set(item), item

    await client.put(SETTINGS, json={"fields": ["points"]}, headers=admin)
    first = (await client.get(WALL, params={"month": month.label, "limit": 1}, headers=as_member)).json()
    assert [(item["name"], item["points"]) for item in first["items"]] == [("陈海燕", 8)]
    rest = await client.get(WALL, params={"month": month.label, "limit": 1, "cursor": first["next"]}, headers=as_member)
    assert [(item["name"], item["points"], "sessions" in item) for item in rest.json()["items"]] == [
        ("林志红", 3, False)
    ]

    await client.put(SETTINGS, json={"fields": []}, headers=admin)
    bare = (await client.get(WALL, params={"month": month.label}, headers=as_member)).json()
    assert [sorted(item) for item in bare["items"]] == [["branchPath", "name", "personId"]] * 2


async def test_wall_settings_refuse_unknown_or_repeated_fields_and_are_the_district_admins(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin = bearer(organiser(issuer, district_a))
    for body, field in (
        ({"fields": ["points", "phone"]}, "body.fields[1]"),
        ({"fields": ["points", "points"]}, "body.fields[1]"),
        ({"fields": "points"}, "body.fields"),
        ({"fields": ["points"], "public": True}, "body.public"),
        ({}, "body.fields"),
    ):
        answer = await client.put(SETTINGS, json=body, headers=admin)
        assert answer.status_code == 422, (body, answer.text)
        assert field in [e["field"] for e in answer.json()["errors"]], answer.text
    assert (await client.get(SETTINGS, headers=admin)).json()["updatedAt"] is None

    street = bearer(issuer.token(tenant=district_a.id, roles=["street_admin"], scope=district_a.branch_path))
    assert (await client.put(SETTINGS, json={"fields": ["points"]}, headers=street)).status_code == 403
    assert (await client.put(SETTINGS, json={"fields": ["points"]}, headers=admin)).status_code == 200
    theirs = await client.get(SETTINGS, headers=bearer(organiser(issuer, district_b)))
    assert theirs.json()["fields"] == ["points", "services", "serviceHours", "sessions", "creditHours"]
    bad = await client.get(WALL, params={"month": "2026-13"}, headers=admin)
    assert [e["field"] for e in bad.json()["errors"]] == ["query.month"]


async def test_a_scoped_reader_sees_the_wall_of_their_own_subtree(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    street = district_a.branch_path.removesuffix("s1/b1/") + "s2/"
    await district_a.add_member("林志红", branch_path=f"{street}b7/")
    await district_a.add_member("陈海燕")
    month = this_month()
    await client.post(
        f"/api/training/reports/monthly/{month.label}/generate", headers=bearer(organiser(issuer, district_a))
    )
    reader = bearer(issuer.token(tenant=district_a.id, roles=["grid_leader"], scope=street))
    wall = await client.get(WALL, params={"month": month.label}, headers=reader)
    assert [item["name"] for item in wall.json()["items"]] == ["林志红"]
    beside = await client.get(WALL, params={"month": month.label, "unitPath": district_a.branch_path}, headers=reader)
    assert beside.status_code == 404, beside.text


async def test_the_scheduler_generates_every_districts_last_month_once(
    settings: Settings, district_a: District, district_b: District
) -> None:
    last = this_month().previous()
    ours = await district_a.add_member("林志红")
    theirs = await district_b.add_member("王建国")
    await attend(settings, district_a, ours, "2", last.starts_at + timedelta(days=3))

    await generate_last_month(settings)
    assert [(r.month, r.sessions) for r in await report_rows(district_a, ours)] == [(last.label, 1)]
    assert [(r.month, r.sessions) for r in await report_rows(district_b, theirs)] == [(last.label, 0)]

    async def events(session: AsyncSession) -> int:
        query = text("SELECT count(*) FROM outbox_message WHERE event = :e")
        return int(await session.scalar(query, {"e": MonthlyReportGenerated.NAME}) or 0)

    async def reports(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(MonthlyReport)) or 0)

    before = (await district_a.run(events), await district_a.run(reports))
    assert before == (1, 1)
    await generate_last_month(settings)  # the month is done: looking again generates nothing
    assert (await district_a.run(events), await district_a.run(reports)) == before
