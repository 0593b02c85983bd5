"""Ouhai's four-season programmes (四季服务品牌 [004], DSP-13): the district administrator opens a programme per year
and season, staff record its activities in villages and streets (members taking part, people served), the summer
programme keeps its free herbal-tea points with the member volunteers on duty and the cups poured, and the report
sums a season per street."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.demo.four_seasons import OUHAI, load_four_seasons
from shared.clock import china_today
from tests.dispatch.builders import District, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
SEASONS = "/api/dispatch/seasons"


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


async def opened(client: Client, headers: dict[str, str], season: str, year: int = 2026) -> dict[str, Any]:
    response = await client.post(SEASONS, json={"year": year, "season": season}, headers=headers)
    assert response.status_code == 201, response.text
    programme: dict[str, Any] = response.json()
    return programme


def tea_point(district: District, member: uuid.UUID, **change: Any) -> dict[str, Any]:
    return {
        "place": "瑶溪村文化礼堂门口",
        "unitId": str(district.village),
        "opensOn": "2026-07-11",
        "closesOn": "2026-08-20",
        "opensAt": "08:00:00",
        "closesAt": "17:00:00",
        "onDuty": [str(member)],
        **change,
    }


async def test_a_year_has_four_programmes_with_activities_tea_points_and_a_report_per_street(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    summer = await opened(client, admin, "summer")
    assert (summer["title"], summer["startsOn"], summer["endsOn"]) == ("夏送清凉", "2026-06-01", "2026-08-31")
    winter = await opened(client, admin, "winter")
    assert (winter["title"], winter["startsOn"], winter["endsOn"]) == ("冬送温暖", "2026-12-01", "2027-02-28")
    for season in ("autumn", "spring"):
        await opened(client, admin, season)
    year = (await client.get(SEASONS, params={"year": 2026}, headers=admin)).json()
    assert [p["season"] for p in year] == ["spring", "summer", "autumn", "winter"]
    assert (await client.post(SEASONS, json={"year": 2026, "season": "summer"}, headers=admin)).status_code == 409

    chen = await district_a.add_provider(member_id=uuid.uuid4(), name="陈丽华", grid=district_a.grids[0])
    wang = await district_a.add_provider(member_id=uuid.uuid4(), name="王建国", grid=district_a.grids[1])
    points = [
        tea_point(district_a, chen.id, cups=300, served=260),
        tea_point(district_a, wang.id, place="状元街道便民服务中心", unitId=str(district_a.street)),
    ]
    for body in points:
        added = await client.post(f"{SEASONS}/{summer['id']}/tea-points", json=body, headers=admin)
        assert added.status_code == 201, added.text
    assert added.json()["onDutyNames"] == ["王建国"]
    cadre = staff(issuer, district_a, "community_cadre")
    recorded = await client.patch(
        f"{SEASONS}/{summer['id']}/tea-points/{added.json()['id']}", json={"cups": 120, "served": 100}, headers=cadre
    )
    assert recorded.status_code == 200, recorded.text
    activity = {
        "heldOn": "2026-07-20",
        "unitId": str(district_a.village),
        "what": "高温天为环卫工人送凉茶",
        "members": 8,
        "served": 150,
    }
    assert (await client.post(f"{SEASONS}/{summer['id']}/activities", json=activity, headers=cadre)).status_code == 201

    listed = (await client.get(f"{SEASONS}/{summer['id']}/tea-points", headers=admin)).json()
    assert [(p["place"], p["onDutyNames"], p["cups"]) for p in listed] == [
        ("状元街道便民服务中心", ["王建国"], 120),
        ("瑶溪村文化礼堂门口", ["陈丽华"], 300),
    ]
    report = (await client.get(f"{SEASONS}/{summer['id']}/report", headers=admin)).json()
    assert report["streets"] == [
        {
            "streetName": "状元街道",
            "activities": 1,
            "members": 8,
            "served": 150,
            "teaPoints": 2,
            "cups": 420,
            "teaServed": 360,
        }
    ]
    assert (report["programme"]["teaPoints"], report["total"]["cups"]) == (2, 420)

    # tea points are summer's; the winter programme's activities fall over New Year and the Spring Festival
    autumn_point = await client.post(f"{SEASONS}/{winter['id']}/tea-points", json=points[0], headers=admin)
    assert autumn_point.status_code == 409
    visit = {**activity, "heldOn": "2027-02-10", "what": "春节走访慰问困难党员"}
    assert (await client.post(f"{SEASONS}/{winter['id']}/activities", json=visit, headers=admin)).status_code == 201


async def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    for body, field in (
        ({"year": 2026, "season": "monsoon"}, "body.season"),
        ({"year": "2026", "season": "spring"}, "body.year"),
        ({"year": 1999, "season": "spring"}, "body.year"),
        ({"year": 2026, "season": "spring", "startsOn": "2025-03-01"}, "body.startsOn"),
        ({"year": 2026, "season": "spring", "startsOn": "2026-05-01", "endsOn": "2026-04-01"}, "body.endsOn"),
        ({"year": 2026, "season": "spring", "title": " "}, "body.title"),
    ):
        response = await client.post(SEASONS, json=body, headers=admin)
        assert response.status_code == 422, (body, response.text)
        assert field in fields(response), (body, response.text)
    assert (await client.get(SEASONS, params={"year": 2026}, headers=admin)).json() == []
    assert (await client.get(SEASONS, params={"year": "今年"}, headers=admin)).status_code == 422
    street = staff(issuer, district_a, "street_admin")
    assert (await client.post(SEASONS, json={"year": 2026, "season": "spring"}, headers=street)).status_code == 403

    summer = await opened(client, admin, "summer")
    member = await district_a.add_provider(member_id=uuid.uuid4(), name="李明")
    team = await district_a.add_provider(kind="professional_team", name="维修队")
    for change, field in (
        ({"opensOn": "2026-05-30"}, "body.opensOn"),
        ({"closesOn": "2026-07-01"}, "body.closesOn"),
        ({"closesAt": "07:00:00"}, "body.closesAt"),
        ({"onDuty": [str(team.id)]}, "body.onDuty"),
        ({"onDuty": []}, "body.onDuty"),
        ({"cups": "300"}, "body.cups"),
        ({"cups": -1}, "body.cups"),
        ({"place": ""}, "body.place"),
        ({"unitId": "瑶溪村"}, "body.unitId"),
    ):
        response = await client.post(
            f"{SEASONS}/{summer['id']}/tea-points", json=tea_point(district_a, member.id, **change), headers=admin
        )
        assert response.status_code == 422, (change, response.text)
        assert field in fields(response), (change, response.text)
    activity = {"heldOn": "2026-07-20", "unitId": str(district_a.village), "what": "送清凉"}
    changes: list[tuple[dict[str, Any], str]] = [
        ({"heldOn": "2026-09-02"}, "body.heldOn"),
        ({"members": "8"}, "body.members"),
        ({"served": 1.5}, "body.served"),
        ({"what": " "}, "body.what"),
    ]
    for change, field in changes:
        response = await client.post(f"{SEASONS}/{summer['id']}/activities", json={**activity, **change}, headers=admin)
        assert response.status_code == 422, (change, response.text)
        assert field in fields(response), (change, response.text)
    report = (await client.get(f"{SEASONS}/{summer['id']}/report", headers=admin)).json()
    assert (report["streets"], report["total"]["teaPoints"], report["total"]["activities"]) == ([], 0, 0)


async def test_another_districts_programme_unit_and_member_are_not_found(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin_a, admin_b = staff(issuer, district_a), staff(issuer, district_b)
    summer_a = await opened(client, admin_a, "summer")
    member_a = await district_a.add_provider(member_id=uuid.uuid4(), name="赵敏")
    point = (
        await client.post(
            f"{SEASONS}/{summer_a['id']}/tea-points", json=tea_point(district_a, member_a.id), headers=admin_a
        )
    ).json()
    for path in ("", "/activities", "/tea-points", "/report"):
        assert (await client.get(f"{SEASONS}/{summer_a['id']}{path}", headers=admin_b)).status_code == 404, path
    member_b = await district_b.add_provider(member_id=uuid.uuid4(), name="钱进")
    theirs = tea_point(district_b, member_b.id)
    assert (
        await client.post(f"{SEASONS}/{summer_a['id']}/tea-points", json=theirs, headers=admin_b)
    ).status_code == 404
    served = {"cups": 1, "served": 1}
    patched = await client.patch(f"{SEASONS}/{summer_a['id']}/tea-points/{point['id']}", json=served, headers=admin_b)
    assert patched.status_code == 404
    summer_b = await opened(client, admin_b, "summer")  # each district has its own summer
    foreign_unit = await client.post(
        f"{SEASONS}/{summer_b['id']}/tea-points", json=tea_point(district_a, member_b.id), headers=admin_b
    )
    assert foreign_unit.status_code == 404
    foreign_member = await client.post(
        f"{SEASONS}/{summer_b['id']}/tea-points", json=tea_point(district_b, member_a.id), headers=admin_b
    )
    assert foreign_member.status_code == 422
    assert fields(foreign_member) == ["body.onDuty"]
    assert [p["id"] for p in (await client.get(SEASONS, params={"year": 2026}, headers=admin_b)).json()] == [
        summer_b["id"]
    ]


async def test_ouhais_demo_has_this_years_four_programmes_and_over_100_tea_points(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    async def load(session: AsyncSession) -> list[str]:
        return await load_four_seasons(session, OUHAI, district_a.id)

    assert (await district_a.run(load))[0].startswith("four seasons: no units or member volunteers")
    await district_a.add_provider(member_id=uuid.uuid4(), name="林晓红（示例）", grid=district_a.grids[0])
    await district_a.add_provider(member_id=uuid.uuid4(), name="周海燕（示例）", grid=district_a.grids[1])
    assert "110 tea points" in (await district_a.run(load))[0]
    assert "already loaded" in (await district_a.run(load))[0]

    admin = staff(issuer, district_a)
    year = (await client.get(SEASONS, headers=admin)).json()
    assert [(p["year"], p["title"]) for p in year] == [
        (china_today().year, title) for title in ("春季调训", "夏送清凉", "金秋送学", "冬送温暖")
    ]
    summer = year[1]
    points = (await client.get(f"{SEASONS}/{summer['id']}/tea-points", headers=admin)).json()
    assert len(points) == summer["teaPoints"] == 110
    assert all(p["place"].endswith("（示例）") and p["onDutyNames"] for p in points)
    report = (await client.get(f"{SEASONS}/{summer['id']}/report", headers=admin)).json()
    assert [(s["streetName"], s["teaPoints"], s["activities"]) for s in report["streets"]] == [("状元街道", 110, 1)]
