"""Red Cube stations (DSP-11): a station attached to a unit, its rota drawn from the volunteers under that unit,
who is on duty now, and the desk: volunteer sign-ups (masked) and demands registered as walk-in tickets."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from tests.dispatch.builders import District, bearer, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
STATIONS = "/api/dispatch/stations"


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


def hours(start: float, end: float) -> dict[str, str]:
    at = datetime.now(UTC)
    return {"startsAt": (at + timedelta(hours=start)).isoformat(), "endsAt": (at + timedelta(hours=end)).isoformat()}


async def station(client: Client, admin: dict[str, str], unit: uuid.UUID, **body: object) -> Any:
    payload: dict[str, object] = {"name": "南湖红立方", "unitId": str(unit), "extraServices": ["翻译服务", "法律咨询"]}
    payload.update(body)
    response = await client.post(STATIONS, json=payload, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_stations_rota_shows_who_is_on_duty_and_its_desk_takes_sign_ups_and_demands(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    on_duty_user = uuid.uuid4()
    here = await district_a.add_provider(
        member_id=uuid.uuid4(), user_id=on_duty_user, grid=district_a.grids[0], name="朱丽萍"
    )
    later = await district_a.add_provider(member_id=uuid.uuid4(), grid=district_a.grids[1], name="许国强")
    created = await station(client, admin, district_a.village, address="示例路1号", openingHours="8:30-17:30")
    assert (created["unitName"], created["onDuty"]) == ("瑶溪村", [])
    assert created["extraServices"] == ["翻译服务", "法律咨询"]
    units = (await client.get(f"{STATIONS}/units", headers=admin)).json()
    shown_units = [(u["name"], u["level"]) for u in units]  # outermost first; grids in path order
    assert shown_units[:2] == [("状元街道", "street"), ("瑶溪村", "village")]
    assert sorted(shown_units[2:]) == [("第1网格", "grid"), ("第2网格", "grid")]
    path = f"{STATIONS}/{created['id']}"
    volunteers = (await client.get(f"{path}/volunteers", headers=admin)).json()
    assert sorted(v["name"] for v in volunteers) == ["朱丽萍", "许国强"]  # both grids are under the village

    now_shift = await client.post(f"{path}/shifts", json={"volunteerId": str(here.id), **hours(-1, 3)}, headers=admin)
    assert now_shift.status_code == 201, now_shift.text
    next_shift = {"volunteerId": str(later.id), **hours(3, 7)}
    assert (await client.post(f"{path}/shifts", json=next_shift, headers=admin)).status_code == 201
    on_duty = (await client.get(f"{path}/on-duty", headers=admin)).json()
    assert [(s["volunteerName"], s["volunteerId"]) for s in on_duty] == [("朱丽萍", str(here.id))]
    rota = (await client.get(f"{path}/shifts", headers=admin)).json()
    assert [s["volunteerName"] for s in rota] == ["朱丽萍", "许国强"]
    cadre = bearer(issuer, district_a.id, ["community_cadre"], user_id=uuid.uuid4())
    assert [s["volunteerName"] for s in (await client.get(f"{path}/on-duty", headers=cadre)).json()] == ["朱**"]
    listed = (await client.get(STATIONS, headers=admin)).json()
    assert [(s["name"], [d["volunteerName"] for d in s["onDuty"]]) for s in listed] == [("南湖红立方", ["朱丽萍"])]

    # the volunteer on duty works the desk
    desk = bearer(issuer, district_a.id, ["volunteer"], user_id=on_duty_user)
    signed = await client.post(
        f"{path}/sign-ups", json={"name": "钟晓燕", "phone": "13912345678", "skills": ["translation"]}, headers=desk
    )
    assert signed.status_code == 201, signed.text
    assert (signed.json()["name"], signed.json()["phone"]) == ("钟**", "139****5678")
    demand = await client.post(
        f"{path}/demands",
        json={"title": "想请人帮忙翻译外文药品说明书", "householdId": str(district_a.households[0])},
        headers=desk,
    )
    assert demand.status_code == 201, demand.text
    ticket = (await client.get(f"/api/dispatch/tickets/{demand.json()['ticketId']}", headers=admin)).json()
    assert (ticket["channel"], ticket["householdId"], ticket["number"]) == (
        "walk_in",
        str(district_a.households[0]),
        demand.json()["ticketNumber"],
    )
    # a volunteer not on duty here does not work this desk
    off_duty = bearer(issuer, district_a.id, ["volunteer"], user_id=uuid.uuid4())
    assert (await client.get(f"{path}/sign-ups", headers=off_duty)).status_code == 404
    assert [s["name"] for s in (await client.get(f"{path}/sign-ups", headers=admin)).json()] == ["钟**"]


async def test_bad_stations_shifts_and_sign_ups_are_refused_and_store_nothing(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    volunteer = await district_a.add_provider(member_id=uuid.uuid4(), grid=district_a.grids[0], name="严志刚")
    team = await district_a.add_provider(kind="professional_team", name="红船服务队")
    for body, field in (
        ({"name": "x", "unitId": str(district_a.grids[0])}, "body.name"),
        ({"name": "红立方", "unitId": "village"}, "body.unitId"),
        ({"name": "红立方", "unitId": str(district_a.grids[0]), "extraServices": "翻译服务"}, "body.extraServices"),
    ):
        refused = await client.post(STATIONS, json=body, headers=admin)
        assert (refused.status_code, fields(refused)) == (422, [field]), refused.text
    assert (
        await client.post(STATIONS, json={"name": "红立方", "unitId": str(uuid.uuid4())}, headers=admin)
    ).status_code == 404
    assert (await client.get(STATIONS, headers=admin)).json() == []
    # a station of the first grid: the second grid's volunteers are not its own
    grid_station = await station(client, admin, district_a.grids[0])
    path = f"{STATIONS}/{grid_station['id']}"
    other = await district_a.add_provider(member_id=uuid.uuid4(), grid=district_a.grids[1], name="别网格")
    cases: tuple[tuple[dict[str, object], str], ...] = (
        ({"volunteerId": str(other.id), **hours(0, 2)}, "body.volunteerId"),
        ({"volunteerId": str(team.id), **hours(0, 2)}, "body.volunteerId"),
        ({"volunteerId": str(volunteer.id), **hours(2, 1)}, "body.endsAt"),
        ({"volunteerId": str(volunteer.id), **hours(0, 30)}, "body.endsAt"),
        (
            {"volunteerId": str(volunteer.id), "startsAt": "2026-12-07T08:00:00", "endsAt": "2026-12-07T12:00:00"},
            "body.startsAt",
        ),
        ({"volunteerId": str(volunteer.id), "startsAt": 8, "endsAt": 12}, "body.startsAt"),
    )
    for shift_body, field in cases:
        refused = await client.post(f"{path}/shifts", json=shift_body, headers=admin)
        assert refused.status_code == 422, refused.text
        assert field in fields(refused)
    assert (await client.get(f"{path}/shifts", headers=admin)).json() == []
    first = {"volunteerId": str(volunteer.id), **hours(0, 4)}
    assert (await client.post(f"{path}/shifts", json=first, headers=admin)).status_code == 201
    overlapping = {"volunteerId": str(volunteer.id), **hours(2, 6)}
    assert (await client.post(f"{path}/shifts", json=overlapping, headers=admin)).status_code == 409
    bad_phone = await client.post(f"{path}/sign-ups", json={"name": "钟晓燕", "phone": "12345"}, headers=admin)
    assert (bad_phone.status_code, fields(bad_phone)) == (422, ["body.phone"])
    assert (await client.get(f"{path}/sign-ups", headers=admin)).json() == []
    no_title = await client.post(f"{path}/demands", json={"title": ""}, headers=admin)
    assert (no_title.status_code, fields(no_title)) == (422, ["body.title"])
    closed = await client.patch(path, json={"active": "false"}, headers=admin)
    assert (closed.status_code, fields(closed)) == (422, ["body.active"])
    member = bearer(issuer, district_a.id, ["member"], user_id=uuid.uuid4())
    assert (
        await client.post(STATIONS, json={"name": "红立方", "unitId": str(district_a.grids[0])}, headers=member)
    ).status_code == 403


async def test_another_districts_stations_and_shifts_are_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin_a, admin_b = staff(issuer, district_a), staff(issuer, district_b)
    theirs = await station(client, admin_b, district_b.village)
    volunteer = await district_b.add_provider(member_id=uuid.uuid4(), grid=district_b.grids[0])
    body = {"volunteerId": str(volunteer.id), **hours(0, 2)}
    shift = (await client.post(f"{STATIONS}/{theirs['id']}/shifts", json=body, headers=admin_b)).json()
    path = f"{STATIONS}/{theirs['id']}"
    for response in (
        await client.get(path, headers=admin_a),
        await client.patch(path, json={"name": "改名了"}, headers=admin_a),
        await client.get(f"{path}/on-duty", headers=admin_a),
        await client.get(f"{path}/shifts", headers=admin_a),
        await client.delete(f"{path}/shifts/{shift['id']}", headers=admin_a),
        await client.post(f"{path}/sign-ups", json={"name": "钟晓燕", "phone": "13912345678"}, headers=admin_a),
        await client.post(f"{path}/demands", json={"title": "需要帮助"}, headers=admin_a),
    ):
        assert response.status_code == 404, response.text
    assert (
        await client.post(STATIONS, json={"name": "红立方", "unitId": str(district_b.village)}, headers=admin_a)
    ).status_code == 404
    assert len((await client.get(f"{path}/shifts", headers=admin_b)).json()) == 1
