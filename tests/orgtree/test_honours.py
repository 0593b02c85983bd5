"""Star levels and titles from training (EVT-13) recorded on the unit or member, each once however often the event
is delivered, and shown in their honours views within the district only."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from litestar.testing import AsyncTestClient

import services.orgtree.honours.actors  # noqa: F401 - registers the handlers on the consumer
from services.orgtree.events import consumer
from shared.contracts.base import Event
from shared.contracts.training import StarRatingPublished, TitleAwarded
from shared.settings import Settings
from tests.orgtree.builders import Api, build_slice
from tests.orgtree.conftest import District, bearer
from tests.platform.events import envelope
from tests.platform.tokens import TestIssuer


async def deliver(settings: Settings, event: Event) -> list[bool]:
    """The envelope twice (the inbox skips the second), then the same event again under a new envelope id: whether
    the consumer applied each."""
    consumer._settings = settings
    raw = envelope(event)
    return [
        await consumer.handle(raw),
        await consumer.handle(raw),
        await consumer.handle({**raw, "id": str(uuid.uuid4())}),
    ]


def star(
    district: District, subject: dict[str, Any], kind: str, *, period: str, level: int, at: str
) -> StarRatingPublished:
    return StarRatingPublished(
        tenant_id=district.id,
        rating_id=uuid.uuid4(),
        entry_id=uuid.uuid4(),
        subject_kind=kind,
        subject_id=uuid.UUID(subject["id"]),
        subject_path="/",
        period=period,
        level=level,
        note="评为星级",
        published_at=datetime.fromisoformat(at),
    )


async def test_star_levels_and_titles_are_recorded_once_and_the_latest_is_current(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(41)
    assert await deliver(
        settings, star(district_a, member, "member", period="2026H1", level=3, at="2026-07-10T02:00:00+00:00")
    ) == [
        True,
        False,
        True,
    ]
    await deliver(
        settings, star(district_a, member, "member", period="2026H2", level=5, at="2027-01-12T02:00:00+00:00")
    )
    award = TitleAwarded(
        tenant_id=district_a.id,
        award_id=uuid.uuid4(),
        title="most_beautiful_red_cell",
        title_name="最美红色细胞",
        subject_kind="member",
        subject_id=uuid.UUID(member["id"]),
        subject_path="/",
        period="2026Q3",
        awarded_on=date(2026, 10, 8),
    )
    await deliver(settings, award)
    honours = await s.admin.get(f"/members/{member['id']}/honours")
    assert (honours["starLevel"]["level"], honours["starLevel"]["period"]) == (5, "2026H2")
    assert [(h["period"], h["level"]) for h in honours["starLevels"]] == [("2026H2", 5), ("2026H1", 3)]
    assert [(t["titleName"], t["period"]) for t in honours["titles"]] == [("最美红色细胞", "2026Q3")]
    # the member sees their own honours
    own_id = uuid.uuid4()
    await s.admin.call("PATCH", f"/members/{member['id']}", 200, json={"userId": str(own_id)})
    own = Api(client, bearer(issuer, district_a.id, ["member"], user_id=own_id))
    assert (await own.get(f"/members/{member['id']}/honours"))["starLevel"]["level"] == 5


async def test_a_units_star_level_and_title_show_on_the_unit(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    assert (await s.admin.get(f"/nodes/{s.branch['id']}/honours"))["starLevel"] is None
    await deliver(
        settings, star(district_a, s.branch, "village_branch", period="2026", level=4, at="2027-01-05T02:00:00+00:00")
    )
    flag = TitleAwarded(
        tenant_id=district_a.id,
        award_id=uuid.uuid4(),
        title="strongest_branch",
        title_name="最强支部",
        subject_kind="unit",
        subject_id=uuid.UUID(s.branch["id"]),
        subject_path="/",
        period="2026",
        awarded_on=date(2027, 1, 6),
    )
    assert await deliver(settings, flag) == [True, False, True]
    honours = await s.admin.get(f"/nodes/{s.branch['id']}/honours")
    assert (honours["starLevel"]["level"], honours["starLevel"]["subjectKind"]) == (4, "village_branch")
    assert [t["title"] for t in honours["titles"]] == ["strongest_branch"]
    assert (await s.admin.get(f"/nodes/{s.organ_branch['id']}/honours"))["titles"] == []


async def test_another_districts_or_streets_ids_are_404(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(42)
    await deliver(
        settings, star(district_a, member, "member", period="2026H1", level=2, at="2026-07-10T02:00:00+00:00")
    )
    other = Api(client, bearer(issuer, district_b.id, ["district_admin"]))
    await other.get(f"/members/{member['id']}/honours", expect=404)
    await other.get(f"/nodes/{s.branch['id']}/honours", expect=404)
    elsewhere = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.other_street["path"]))
    await elsewhere.get(f"/members/{member['id']}/honours", expect=404)
    await s.admin.get(f"/members/{uuid.uuid4()}/honours", expect=404)
    await s.admin.get("/members/not-an-id/honours", expect=404)
