"""Red Flag coverage (ORG-21) from the titles training awards, against the district's yearly targets; inactive
members (ORG-18) from training's organisational-life attendance, each event applied once and the newest kept."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from litestar.testing import AsyncTestClient

import services.orgtree.activity.actors
import services.orgtree.honours.actors  # noqa: F401 - registers the handlers on the consumer
from services.orgtree.events import consumer
from shared.clock import china_today
from shared.contracts.base import Event
from shared.contracts.training import AttendanceRecorded, TitleAwarded
from shared.settings import Settings
from tests.orgtree.builders import Api, build_slice
from tests.orgtree.conftest import District, bearer
from tests.platform.events import envelope
from tests.platform.tokens import TestIssuer


async def deliver(settings: Settings, event: Event) -> list[bool]:
    """Twice under one envelope (the inbox skips the second), then again under a new one."""
    consumer._settings = settings
    raw = envelope(event)
    return [
        await consumer.handle(raw),
        await consumer.handle(raw),
        await consumer.handle({**raw, "id": str(uuid.uuid4())}),
    ]


def red_flag(district: District, community: dict[str, Any], period: str) -> TitleAwarded:
    return TitleAwarded(
        tenant_id=district.id,
        award_id=uuid.uuid4(),
        title="red_flag_community",
        title_name="红旗社区",
        subject_kind="unit",
        subject_id=uuid.UUID(community["id"]),
        subject_path=community["path"],
        period=period,
        awarded_on=date(int(period[:4]), 12, 20),
    )


async def test_coverage_counts_each_community_once_from_its_first_title_against_the_targets(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)  # 永中社区 in the other street
    communities = [await s.admin.unit(s.street, "community", f"瑶溪{n}社区") for n in "一二三四"]
    assert await deliver(settings, red_flag(district_a, communities[0], "2020")) == [True, False, True]
    await deliver(settings, red_flag(district_a, communities[1], "2021"))
    await deliver(settings, red_flag(district_a, communities[2], "2021"))
    await deliver(settings, red_flag(district_a, communities[0], "2021"))  # held already: counted once
    await deliver(settings, red_flag(district_a, s.village, "2021"))  # a village is no community

    report = await s.admin.get("/red-flag/coverage")
    assert (report["title"], report["communities"]) == ("red_flag_community", 5)
    assert [(y["year"], y["holding"], y["percent"], y["target"], y["met"]) for y in report["years"]] == [
        (2020, 1, 20.0, 30, False),
        (2021, 3, 60.0, 60, True),
        (2022, 3, 60.0, 100, False),
    ]
    street = await s.admin.get("/red-flag/coverage", within=s.street["id"])
    assert [(y["year"], y["holding"], y["percent"]) for y in street["years"]] == [
        (2020, 1, 25.0),
        (2021, 3, 75.0),
        (2022, 3, 75.0),
    ]

    targets = {"targets": [{"year": 2021, "percent": 50}, {"year": 2023, "percent": 80}]}
    assert await s.admin.call("PUT", "/red-flag/targets", 200, json=targets) == {**targets, "isDefault": False}
    report = await s.admin.get("/red-flag/coverage")
    assert [(y["year"], y["target"], y["met"]) for y in report["years"]] == [
        (2020, None, None),
        (2021, 50, True),
        (2023, 80, False),
    ]


async def test_bad_targets_are_refused_naming_the_field_and_other_districts_are_404(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    other = await build_slice(client, issuer, district_b)

    async def field_of(target: dict[str, Any]) -> list[str]:
        problem = await s.admin.call("PUT", "/red-flag/targets", 422, json={"targets": [target]})
        return [e["field"] for e in problem["errors"]]

    assert await field_of({"year": 2021, "percent": 101}) == ["body.targets[0].percent"]
    assert await field_of({"year": 2021, "percent": "60"}) == ["body.targets[0].percent"]
    assert await field_of({"year": "2021", "percent": 60}) == ["body.targets[0].year"]
    assert await field_of({"year": 1999, "percent": 60}) == ["body.targets[0].year"]
    twice = {"targets": [{"year": 2021, "percent": 60}, {"year": 2021, "percent": 70}]}
    problem = await s.admin.call("PUT", "/red-flag/targets", 422, json=twice)
    assert [e["field"] for e in problem["errors"]] == ["body.targets[1].year"]
    assert (await s.admin.get("/red-flag/targets"))["isDefault"] is True  # nothing stored
    street_admin = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.street["path"]))
    await street_admin.call("PUT", "/red-flag/targets", 403, json={"targets": [{"year": 2021, "percent": 60}]})
    await s.admin.get("/red-flag/coverage", 404, within=other.street["id"])
    await s.admin.get("/reports/inactive-members", 404, within=other.street["id"])
    bad = await s.admin.get("/reports/inactive-members", 422, months="six")
    assert [e["field"] for e in bad["errors"]] == ["query.months"]


def attended(district: District, member: dict[str, Any], days_ago: int, category: str) -> AttendanceRecorded:
    return AttendanceRecorded(
        tenant_id=district.id,
        attendance_id=uuid.uuid4(),
        session_id=uuid.uuid4(),
        programme_id=uuid.uuid4(),
        person_id=uuid.uuid4(),
        member_id=uuid.UUID(member["id"]),
        user_id=None,
        checked_in_at=datetime.now(UTC) - timedelta(days=days_ago),
        credit_hours=Decimal("2"),
        category=category,
        counts=[],
        method="code",
    )


async def test_members_without_organisational_life_for_six_months_are_listed_by_unit(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    never = await s.member(501, joinedOn="2019-07-01")
    lately = await s.member(502, joinedOn="2019-07-01")
    only_theory = await s.member(503, joinedOn="2019-07-01")
    long_ago = await s.member(504, joinedOn="2019-07-01")
    await s.member(505)  # joined today: not inactive yet
    assert await deliver(settings, attended(district_a, lately, 30, "organisational_life")) == [True, False, True]
    await deliver(settings, attended(district_a, lately, 300, "organisational_life"))  # older, arriving late
    await deliver(settings, attended(district_a, only_theory, 10, "theory"))
    await deliver(settings, attended(district_a, long_ago, 250, "organisational_life"))

    report = await s.admin.get("/reports/inactive-members", within=s.street["id"])
    assert report["months"] == 6
    listed = {m["name"]: m for m in report["members"]}
    assert sorted(listed) == ["党员501", "党员503", "党员504"]
    assert listed["党员504"]["lastAttendedOn"] == (china_today() - timedelta(days=250)).isoformat()
    assert listed["党员501"]["lastAttendedOn"] is None
    assert listed["党员501"]["monthsInactive"] >= 60
    assert {m["unitName"] for m in report["members"]} == {"上河村党支部"}
    assert never["id"] in {m["memberId"] for m in report["members"]}
    nine = await s.admin.get("/reports/inactive-members", months=9)
    assert sorted(m["name"] for m in nine["members"]) == ["党员501", "党员503"]
