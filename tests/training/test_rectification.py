"""Rectification lists (TRN-13): items with problem, measure, lead unit, responsible leader and deadline, open items
by deadline with the overdue first (by query: the deadline is the row), monthly progress, the tick-off with a note,
a link to the duty review the problem came from; bad input is a 422 naming the field; another district's a 404."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.models import RectificationItem
from shared.clock import china_today
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, attendee, bearer, organiser

Client = AsyncTestClient[Any]
API = "/api/training/rectifications"


def fields(answer: Any) -> list[str]:
    return [e["field"] for e in answer.json()["errors"]]


def item(district: District, **changes: Any) -> dict[str, Any]:
    return {
        "unitPath": district.branch_path,
        "unitName": "杨宅村党支部",
        "problem": "党员教育管理不够经常（示例）",
        "measure": "每月固定主题党日，建立学习台账",
        "leader": "陈书记（示例）",
        "deadline": (china_today() + timedelta(days=30)).isoformat(),
        **changes,
    }


async def add(client: Client, token: str, body: dict[str, Any]) -> Any:
    answer = await client.post(API, json=body, headers=bearer(token))
    assert answer.status_code == 201, answer.text
    return answer.json()


async def backdate(district: District, item_id: str, days: int) -> None:
    """An item whose deadline passed: the row moved back, as time would have (never the clock)."""

    async def move(session: AsyncSession) -> None:
        await session.execute(
            update(RectificationItem)
            .where(RectificationItem.id == uuid.UUID(item_id))
            .values(deadline=china_today() - timedelta(days=days))
        )

    await district.run(move)


async def test_open_items_come_overdue_first_and_a_tick_off_closes_one(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a, name="区委组织部王科长")
    later = await add(client, admin, item(district_a, problem="村集体经济薄弱"))
    late = await add(client, admin, item(district_a, problem="阵地建设滞后"))
    await backdate(district_a, late["id"], 3)
    listed = (await client.get(API, headers=bearer(admin))).json()["items"]
    assert [(i["problem"], i["overdue"]) for i in listed] == [("阵地建设滞后", True), ("村集体经济薄弱", False)]
    overdue = (await client.get(API, params={"overdue": "true"}, headers=bearer(admin))).json()["items"]
    assert [i["id"] for i in overdue] == [late["id"]]
    # monthly scheduling: one note per month, a second replaces the first
    for note in ("已落实场地", "场地已装修"):
        answer = await client.post(
            f"{API}/{late['id']}/progress", json={"month": "2026-12", "note": note}, headers=bearer(admin)
        )
        assert answer.status_code == 200, answer.text
    assert [(p["month"], p["note"]) for p in answer.json()["progress"]] == [("2026-12", "场地已装修")]
    answer = await client.post(f"{API}/{late['id']}/done", json={"note": "阵地已启用"}, headers=bearer(admin))
    assert answer.status_code == 200, answer.text
    done = answer.json()
    assert (done["overdue"], done["doneNote"], done["doneByName"]) == (False, "阵地已启用", "区委组织部王科长")
    assert [i["id"] for i in (await client.get(API, headers=bearer(admin))).json()["items"]] == [later["id"]]
    finished = (await client.get(API, params={"state": "done"}, headers=bearer(admin))).json()["items"]
    assert [i["id"] for i in finished] == [late["id"]]
    again = await client.post(f"{API}/{late['id']}/done", json={"note": "再次"}, headers=bearer(admin))
    assert again.status_code == 409


async def test_an_item_links_the_duty_review_it_came_from(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    await district_a.add_member("李书记（示例）", duties=["secretary"])
    body = {"month": "2026-11", "unitPath": district_a.branch_path, "unitName": "丽岙街道党工委"}
    drawn = (await client.post("/api/training/duty-review-rounds", json=body, headers=bearer(admin))).json()
    review_id = drawn["reviews"][0]["id"]
    linked = await add(client, admin, item(district_a, reviewId=review_id))
    assert (linked["reviewId"], linked["secretaryName"]) == (review_id, "李书记（示例）")
    await add(client, admin, item(district_a, problem="与评议无关的问题"))
    listed = await client.get(API, params={"reviewId": review_id}, headers=bearer(admin))
    assert [i["id"] for i in listed.json()["items"]] == [linked["id"]]


async def test_bad_items_are_a_422_naming_the_field_and_nothing_is_stored(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    street = issuer.token(tenant=district_a.id, roles=["street_admin"], scope=district_a.branch_path)
    yesterday = (china_today() - timedelta(days=1)).isoformat()
    cases = [
        (admin, item(district_a, deadline=yesterday), "body.deadline"),
        (admin, item(district_a, deadline="next month"), "body.deadline"),
        (admin, item(district_a, deadline=20261231), "body.deadline"),
        (admin, item(district_a, leader=""), "body.leader"),
        (admin, item(district_a, problem="   "), "body.problem"),
        (admin, item(district_a, reviewId=str(uuid.uuid4())), "body.reviewId"),
        (street, item(district_a, unitPath="/elsewhere/"), "body.unitPath"),
    ]
    for token, body, field in cases:
        answer = await client.post(API, json=body, headers=bearer(token))
        assert answer.status_code == 422, (body, answer.text)
        assert fields(answer) == [field], answer.text
    first = await add(client, admin, item(district_a))
    progress: list[tuple[dict[str, Any], str]] = [
        ({"month": "2026-13", "note": "x"}, "body.month"),
        ({"month": 202612, "note": "x"}, "body.month"),
    ]
    for note, field in progress:
        answer = await client.post(f"{API}/{first['id']}/progress", json=note, headers=bearer(admin))
        assert answer.status_code == 422, answer.text
        assert fields(answer) == [field]
    answer = await client.post(f"{API}/{first['id']}/done", json={"note": ""}, headers=bearer(admin))
    assert answer.status_code == 422
    assert fields(answer) == ["body.note"]
    answer = await client.get(API, params={"overdue": "maybe"}, headers=bearer(admin))
    assert answer.status_code == 422
    stored = await district_a.run(lambda s: s.scalars(select(RectificationItem.id)))
    assert [str(i) for i in stored] == [first["id"]]


async def test_another_districts_items_are_a_404_and_members_may_not_edit(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    mine = await add(client, organiser(issuer, district_a), item(district_a))
    other = organiser(issuer, district_b)
    assert (await client.get(f"{API}/{mine['id']}", headers=bearer(other))).status_code == 404
    answer = await client.post(f"{API}/{mine['id']}/done", json={"note": "完成"}, headers=bearer(other))
    assert answer.status_code == 404
    assert (await client.get(API, headers=bearer(other))).json()["items"] == []
    member = attendee(issuer, district_a, await district_a.add_member())
    answer = await client.post(f"{API}/{mine['id']}/done", json={"note": "完成"}, headers=bearer(member))
    assert answer.status_code == 403
