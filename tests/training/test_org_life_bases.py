"""Open organisational-life bases (TRN-15): a base is orgtree's venue (by id) with a menu of activities; branches
book an item at a time (one live booking per base and start, not in the past, within the base's capacity), cancel
before it starts, and the attendance is recorded after it. Bad input is a 422 naming the field; another district's
base is a 404."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.demo.loader import load_demo
from services.training.models import BaseBooking
from shared.clock import now
from shared.settings import Settings
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser

Client = AsyncTestClient[Any]
Cases = list[tuple[dict[str, Any], str]]
API = "/api/training"


def fields(answer: Any) -> list[str]:
    return [e["field"] for e in answer.json()["errors"]]


def base_body(district: District) -> dict[str, Any]:
    return {
        "venueId": str(uuid.uuid4()),
        "unitPath": district.branch_path.rsplit("/", 2)[0] + "/",
        "unitName": "潘桥街道",
        "name": "潘桥开放式组织生活基地（示例）",
        "capacity": 40,
    }


def booking(district: District, activity: dict[str, Any], in_days: int = 3, **change: Any) -> dict[str, Any]:
    starts = (now() + timedelta(days=in_days)).replace(microsecond=0)
    return {
        "activityId": activity["id"],
        "branchId": str(district.branch_id),
        "branchPath": district.branch_path,
        "branchName": "潘北社区党委",
        "startsAt": starts.isoformat(),
        "expected": 25,
        **change,
    }


async def opened_base(client: Client, token: str, district: District) -> tuple[dict[str, Any], dict[str, Any]]:
    base = await client.post(f"{API}/org-life-bases", json=base_body(district), headers=bearer(token))
    assert base.status_code == 201, base.text
    item = {"title": "重温入党誓词", "minutes": 90, "description": "参观红色展馆并重温入党誓词"}
    activity = await client.post(
        f"{API}/org-life-bases/{base.json()['id']}/activities", json=item, headers=bearer(token)
    )
    assert activity.status_code == 201, activity.text
    return base.json(), activity.json()


async def test_a_branch_books_a_menu_item_and_its_attendance_is_recorded_after_it(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    base, activity = await opened_base(client, admin, district_a)
    listed = (await client.get(f"{API}/org-life-bases", headers=bearer(admin))).json()
    assert [(b["name"], [a["title"] for a in b["activities"]]) for b in listed] == [
        ("潘桥开放式组织生活基地（示例）", ["重温入党誓词"])
    ]
    branch = issuer.token(tenant=district_a.id, roles=["community_cadre"], scope=district_a.branch_path, name="书记")
    bookings = f"{API}/org-life-bases/{base['id']}/bookings"
    made = await client.post(bookings, json=booking(district_a, activity), headers=bearer(branch))
    assert made.status_code == 201, made.text
    assert (made.json()["state"], made.json()["activityTitle"], made.json()["bookedByName"]) == (
        "booked",
        "重温入党誓词",
        "书记",
    )
    clash = await client.post(bookings, json=booking(district_a, activity), headers=bearer(admin))
    assert clash.status_code == 409
    early = await client.post(
        f"{API}/base-bookings/{made.json()['id']}/attendance", json={"attended": 20}, headers=bearer(branch)
    )
    assert early.status_code == 409

    async def started(session: AsyncSession) -> None:
        await session.execute(
            update(BaseBooking)
            .where(BaseBooking.id == uuid.UUID(made.json()["id"]))
            .values(starts_at=now() - timedelta(hours=2))
        )

    await district_a.run(started)  # the activity took place (the row's time moved, never the clock)
    attended = await client.post(
        f"{API}/base-bookings/{made.json()['id']}/attendance",
        json={"attended": 23, "note": "2人请假"},
        headers=bearer(branch),
    )
    assert (attended.status_code, attended.json()["state"], attended.json()["attended"]) == (200, "attended", 23)
    late = await client.post(f"{API}/base-bookings/{made.json()['id']}/cancel", headers=bearer(branch))
    assert late.status_code == 409
    second = await client.post(bookings, json=booking(district_a, activity, in_days=5), headers=bearer(branch))
    cancelled = await client.post(f"{API}/base-bookings/{second.json()['id']}/cancel", headers=bearer(branch))
    assert cancelled.json()["state"] == "cancelled"
    again = await client.post(bookings, json=booking(district_a, activity, in_days=5), headers=bearer(admin))
    assert again.status_code == 201  # the cancelled slot is free again
    states = [b["state"] for b in (await client.get(bookings, headers=bearer(branch))).json()]
    assert states == ["attended", "cancelled", "booked"]


async def test_bad_bases_and_bookings_are_a_422_naming_the_field_and_another_districts_base_a_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin = organiser(issuer, district_a)
    cases_1: Cases = [
        ({"capacity": "40"}, "body.capacity"),
        ({"capacity": 0}, "body.capacity"),
        ({"unitPath": "street"}, "body.unitPath"),
        ({"venueId": "base-1"}, "body.venueId"),
        ({"name": " "}, "body.name"),
    ]
    for change, field in cases_1:
        answer = await client.post(
            f"{API}/org-life-bases", json={**base_body(district_a), **change}, headers=bearer(admin)
        )
        assert (answer.status_code, fields(answer)) == (422, [field]), (change, answer.text)
    base, activity = await opened_base(client, admin, district_a)
    duplicate = await client.post(
        f"{API}/org-life-bases", json={**base_body(district_a), "venueId": base["venueId"]}, headers=bearer(admin)
    )
    assert duplicate.status_code == 409
    outsider = issuer.token(tenant=district_a.id, roles=["street_admin"], scope=f"/{district_a.id.hex[:8]}/s9/")
    answer = await client.post(f"{API}/org-life-bases", json=base_body(district_a), headers=bearer(outsider))
    assert (answer.status_code, fields(answer)) == (422, ["body.unitPath"])
    answer = await client.post(
        f"{API}/org-life-bases/{base['id']}/activities", json={"title": "参观", "minutes": 60}, headers=bearer(outsider)
    )
    assert answer.status_code == 404
    answer = await client.post(
        f"{API}/org-life-bases/{base['id']}/activities", json={"title": "参观", "minutes": "60"}, headers=bearer(admin)
    )
    assert (answer.status_code, fields(answer)) == (422, ["body.minutes"])
    bookings = f"{API}/org-life-bases/{base['id']}/bookings"
    naive = (now() + timedelta(days=2)).replace(tzinfo=None).isoformat()
    cases_2: Cases = [
        ({"startsAt": (now() - timedelta(hours=1)).isoformat()}, "body.startsAt"),
        ({"startsAt": naive}, "body.startsAt"),
        ({"expected": 41}, "body.expected"),
        ({"expected": "25"}, "body.expected"),
        ({"activityId": str(uuid.uuid4())}, "body.activityId"),
        ({"branchPath": "/elsewhere/"}, "body.branchPath"),
    ]
    for change, field in cases_2:
        token = outsider if field == "body.branchPath" else admin
        answer = await client.post(bookings, json=booking(district_a, activity, **change), headers=bearer(token))
        assert (answer.status_code, fields(answer)) == (422, [field]), (change, answer.text)
    assert (await client.get(bookings, headers=bearer(admin))).json() == []
    stranger = organiser(issuer, district_b)
    assert (await client.get(f"{API}/org-life-bases/{base['id']}", headers=bearer(stranger))).status_code == 404
    answer = await client.post(bookings, json=booking(district_a, activity), headers=bearer(stranger))
    assert answer.status_code == 404
    assert (await client.get(f"{API}/org-life-bases", headers=bearer(stranger))).json() == []
    member = issuer.token(tenant=district_a.id, roles=["member"])
    assert (await client.get(f"{API}/org-life-bases", headers=bearer(member))).status_code == 403


async def test_the_demo_has_two_bases_with_their_menus(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    await load_demo(settings, [{"id": str(district_a.id), "slug": "xx-district", "name": "XX区"}])
    await load_demo(settings, [{"id": str(district_a.id), "slug": "xx-district", "name": "XX区"}])
    listed = (await client.get(f"{API}/org-life-bases", headers=bearer(organiser(issuer, district_a)))).json()
    assert sorted((b["name"], len(b["activities"])) for b in listed) == [
        ("区爱国主义教育基地（示例）", 3),
        ("区警示教育基地（示例）", 2),
    ]
    assert all(a["description"].endswith("（示例）") for b in listed for a in b["activities"])
