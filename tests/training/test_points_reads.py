"""Reading the ledger: a person's statement over days (newest first, paged, with the period's total), the
caller's own, the categories, and the ranked totals per year, quarter or month for people under a unit, with
readers confined to their scope."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from litestar.testing import AsyncTestClient

from services.training.events import consumer
from services.training.models import Person
from shared.contracts.training import AttendanceRecorded
from shared.settings import Settings
from tests.platform.events import envelope
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, attendee, bearer, organiser
from tests.training.points_support import with_categories

Client = AsyncTestClient[Any]


async def attend(settings: Settings, district: District, person: Person, hours: int, at: datetime) -> None:
    """An attendance worth ``hours`` credit hours (a point each, the default rule) at ``at``."""
    event = AttendanceRecorded(
        tenant_id=district.id,
        attendance_id=uuid.uuid4(),
        session_id=uuid.uuid4(),
        programme_id=district.programmes["micro_party_lecture"],
        person_id=person.id,
        member_id=person.member_id,
        user_id=person.user_id,
        checked_in_at=at,
        credit_hours=Decimal(hours),
        category="theory",
        counts=[],
        method="qr",
    )
    consumer._settings = settings
    assert await consumer.handle(envelope(event))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


async def test_a_statement_lists_entries_newest_first_by_day_with_the_periods_total(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    await with_categories(district_a)
    person = await district_a.add_member()
    for hours, at in ((1, utc(2025, 5, 1, 2)), (2, utc(2025, 5, 2, 2)), (4, utc(2025, 5, 3, 2)), (8, utc(2025, 6, 1))):
        await attend(settings, district_a, person, hours, at)
    headers = bearer(organiser(issuer, district_a))
    url = f"/api/training/people/{person.id}/points"
    first = (
        await client.get(url, params={"from": "2025-05-01", "to": "2025-05-31", "limit": 2}, headers=headers)
    ).json()
    assert (first["personId"], first["total"], [e["points"] for e in first["items"]]) == (str(person.id), 7, [4, 2])
    query = {"from": "2025-05-01", "to": "2025-05-31", "limit": 2, "cursor": first["next"]}
    second = (await client.get(url, params=query, headers=headers)).json()
    assert ([e["points"] for e in second["items"]], second["next"]) == ([1], None)
    assert (await client.get(url, headers=headers)).json()["total"] == 15

    for params, field in (
        ({"from": "2025-06-01", "to": "2025-05-01"}, "query.to"),
        ({"cursor": "not-a-cursor"}, "query.cursor"),
        ({"from": "2025-13-01"}, "query.from"),
    ):
        answer = await client.get(url, params=params, headers=headers)
        assert answer.status_code == 422, answer.text
        assert field in [e["field"] for e in answer.json()["errors"]], answer.text


async def test_my_points_are_my_own_and_the_categories_are_the_districts(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    await with_categories(district_a)
    me, other = await district_a.add_member("张卫东"), await district_a.add_member("李红梅")
    await attend(settings, district_a, me, 2, utc(2025, 5, 1))
    await attend(settings, district_a, other, 8, utc(2025, 5, 1))
    mine = await client.get("/api/training/me/points", headers=bearer(attendee(issuer, district_a, me)))
    assert (mine.json()["name"], mine.json()["total"]) == ("张卫东", 2)
    # a member reads their own statement, not another's
    theirs = await client.get(
        f"/api/training/people/{other.id}/points", headers=bearer(attendee(issuer, district_a, me))
    )
    assert theirs.status_code == 403
    stranger = bearer(issuer.token(tenant=district_a.id, roles=["member"]))
    assert (await client.get("/api/training/me/points", headers=stranger)).status_code == 404

    categories = (await client.get("/api/training/points/categories", headers=stranger)).json()
    assert [(c["code"], c["rule"], c["points"]) for c in categories] == [
        ("attendance", "per_hour", 1),
        ("manual", "manual", 0),
        ("service", "from_event", 0),
        ("visit", "manual", 0),
        ("wish", "fixed", 5),
    ]


async def test_totals_rank_people_under_a_unit_per_year_quarter_and_month(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    await with_categories(district_a)
    activist = await district_a.add_member("王建国", flags=["activist"])
    member = await district_a.add_member("赵小兰")
    idle = await district_a.add_member("孙志强", flags=["activist"])
    elsewhere = await district_a.add_member("钱丽", branch_path=district_a.branch_path.replace("/s1/", "/s2/"))
    await attend(settings, district_a, activist, 3, utc(2025, 1, 10))
    # 2025-03-31 16:30 UTC is already 1 April in China: the second quarter's, and April's
    await attend(settings, district_a, activist, 4, utc(2025, 3, 31, 16, 30))
    await attend(settings, district_a, member, 5, utc(2025, 2, 1))
    await attend(settings, district_a, elsewhere, 9, utc(2025, 2, 1))
    headers = bearer(organiser(issuer, district_a))
    street = district_a.branch_path.removesuffix("b1/")

    async def ranked(**params: str) -> list[tuple[int, str, int]]:
        answer = await client.get("/api/training/points/totals", params={"unitPath": street, **params}, headers=headers)
        assert answer.status_code == 200, answer.text
        return [(row["rank"], row["name"], row["total"]) for row in answer.json()["items"]]

    assert await ranked(period="2025") == [(1, "王建国", 7), (2, "赵小兰", 5), (3, "孙志强", 0)]
    assert await ranked(period="2025-Q1") == [(1, "赵小兰", 5), (2, "王建国", 3), (3, "孙志强", 0)]
    assert await ranked(period="2025-04") == [(1, "王建国", 4), (2, "赵小兰", 0), (2, "孙志强", 0)]
    assert await ranked(period="2025", flag="activist") == [(1, "王建国", 7), (2, "孙志强", 0)]
    assert (await ranked(period="2024"))[0][2] == 0
    everyone = (await client.get("/api/training/points/totals", params={"period": "2025"}, headers=headers)).json()
    assert everyone["items"][0]["name"] == "钱丽"
    assert (everyone["startsAt"], everyone["endsAt"]) == ("2025-01-01T00:00:00+08:00", "2026-01-01T00:00:00+08:00")

    pages, cursor = [], None
    while True:
        params = {"unitPath": street, "period": "2025", "limit": "1", **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/training/points/totals", params=params, headers=headers)).json()
        pages += [row["name"] for row in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert pages == ["王建国", "赵小兰", "孙志强"]

    for params in ({"period": "2025-13"}, {"period": "2025-Q5"}, {"period": "25"}):
        answer = await client.get("/api/training/points/totals", params=params, headers=headers)
        assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "query.period")
    answer = await client.get("/api/training/points/totals", params={"cursor": "x|y"}, headers=headers)
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "query.cursor")
    assert idle.id  # ranked with nothing: evaluators see who has no points


async def test_a_reader_with_a_scope_sees_only_people_under_it(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    await with_categories(district_a)
    inside = await district_a.add_member("吴海")
    outside = await district_a.add_member("郑敏", branch_path=district_a.branch_path.replace("/s1/", "/s2/"))
    street = district_a.branch_path.removesuffix("b1/")
    headers = bearer(issuer.token(tenant=district_a.id, roles=["street_admin"], scope=street))
    assert (await client.get(f"/api/training/people/{inside.id}/points", headers=headers)).status_code == 200
    assert (await client.get(f"/api/training/people/{outside.id}/points", headers=headers)).status_code == 404
    body = {"personId": str(outside.id), "category": "visit", "points": 2, "reason": "走访"}
    assert (await client.post("/api/training/points", json=body, headers=headers)).status_code == 404
    totals = (await client.get("/api/training/points/totals", params={"period": "2025"}, headers=headers)).json()
    assert [row["name"] for row in totals["items"]] == ["吴海"]
    # asking for a unit outside the scope shows nobody, not the unit
    other_street = district_a.branch_path.replace("/s1/b1/", "/s2/")
    answer = await client.get("/api/training/points/totals", params={"unitPath": other_street}, headers=headers)
    assert answer.json()["items"] == []
