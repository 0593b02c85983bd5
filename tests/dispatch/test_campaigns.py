"""Campaign days (DSP-13 [000]): the mass-service day on the 25th and red-vest Tuesdays, each recorded for a village
or street on the district's day of its kind, with a roster (time, member in a named vest, matter) and the people
served; the month's calendar lists them."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from tests.dispatch.builders import District, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
DAYS = "/api/dispatch/campaigns"


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


def next_weekday(weekday: int, start: date | None = None) -> date:
    day = start or date(2026, 12, 1)
    return day + timedelta(days=(weekday - day.isoweekday()) % 7)


async def test_a_mass_service_day_has_its_roster_and_counts_the_people_served(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    cadre = await district_a.add_provider(member_id=uuid.uuid4(), name="陈丽华", grid=district_a.grids[0])
    member = await district_a.add_provider(member_id=uuid.uuid4(), name="王建国", grid=district_a.grids[1])
    body = {"kind": "mass_service", "heldOn": "2026-12-25", "unitId": str(district_a.village)}
    created = await client.post(DAYS, json=body, headers=admin)
    assert created.status_code == 201, created.text
    day = created.json()
    assert (day["unitName"], day["title"], day["peopleServed"]) == ("瑶溪村", "瑶溪村集中服务日", 0)

    lines = [
        {
            "startsAt": "09:00:00",
            "endsAt": "11:00:00",
            "providerId": str(cadre.id),
            "role": "street_cadre",
            "vest": "红马甲·陈丽华",
            "matter": "政策宣讲、医保咨询",
            "served": 12,
        },
        {
            "startsAt": "08:30:00",
            "providerId": str(member.id),
            "role": "branch_member",
            "vest": "红马甲·王建国",
            "matter": "义务理发",
        },
    ]
    for line in lines:
        added = await client.post(f"{DAYS}/{day['id']}/roster", json=line, headers=admin)
        assert added.status_code == 201, added.text
    roster = added.json()["roster"]
    assert [(r["startsAt"], r["personName"], r["vest"]) for r in roster] == [
        ("08:30:00", "王建国", "红马甲·王建国"),
        ("09:00:00", "陈丽华", "红马甲·陈丽华"),
    ]
    served = await client.patch(f"{DAYS}/{day['id']}/roster/{roster[0]['id']}", json={"served": 8}, headers=admin)
    assert served.status_code == 200, served.text
    assert served.json()["peopleServed"] == 20

    month = (await client.get(f"{DAYS}/calendar", params={"month": "2026-12"}, headers=admin)).json()
    assert (month["massServiceDay"], month["redVestWeekday"]) == (25, 2)
    kinds = {(d["day"], d["kind"]) for d in month["dates"]}
    assert ("2026-12-25", "mass_service") in kinds
    assert {d["day"] for d in month["dates"] if d["kind"] == "red_vest"} == {
        "2026-12-01",
        "2026-12-08",
        "2026-12-15",
        "2026-12-22",
        "2026-12-29",
    }
    held = next(d for d in month["dates"] if d["day"] == "2026-12-25")
    assert [(c["unitName"], c["peopleServed"], c["duties"]) for c in held["campaigns"]] == [("瑶溪村", 20, 2)]
    again = await client.post(DAYS, json=body, headers=admin)
    assert again.status_code == 409


async def test_red_vest_days_follow_the_district_weekday_which_its_admin_sets(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    tuesday = next_weekday(2)
    wednesday = tuesday + timedelta(days=1)
    body = {"kind": "red_vest", "heldOn": wednesday.isoformat(), "unitId": str(district_a.street)}
    refused = await client.post(DAYS, json=body, headers=admin)
    assert refused.status_code == 422
    assert fields(refused) == ["body.heldOn"]
    cadre = staff(issuer, district_a, "street_admin")
    denied = await client.patch(f"{DAYS}/calendar", json={"redVestWeekday": 3}, headers=cadre)
    assert denied.status_code == 403
    moved = await client.patch(f"{DAYS}/calendar", json={"redVestWeekday": 3}, headers=admin)
    assert moved.status_code == 200, moved.text
    assert moved.json()["redVestWeekday"] == 3
    accepted = await client.post(DAYS, json=body, headers=admin)
    assert accepted.status_code == 201, accepted.text
    assert (accepted.json()["unitLevel"], accepted.json()["title"]) == ("street", "状元街道红马甲日")


async def test_bad_input_is_refused_naming_the_field(client: Client, issuer: TestIssuer, district_a: District) -> None:
    admin = staff(issuer, district_a)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "parade", "heldOn": "2026-12-25", "unitId": str(district_a.village)}, "body.kind"),
        ({"kind": "mass_service", "heldOn": "2026-12-24", "unitId": str(district_a.village)}, "body.heldOn"),
        ({"kind": "mass_service", "heldOn": "25号", "unitId": str(district_a.village)}, "body.heldOn"),
        ({"kind": "mass_service", "heldOn": "2026-12-25", "unitId": "瑶溪村"}, "body.unitId"),
    ]
    for body, field in cases:
        response = await client.post(DAYS, json=body, headers=admin)
        assert response.status_code == 422, (body, response.text)
        assert field in fields(response), (body, response.text)
    for patch, field in (
        ({"massServiceDay": "25"}, "body.massServiceDay"),
        ({"massServiceDay": 31}, "body.massServiceDay"),
        ({"redVestWeekday": 8}, "body.redVestWeekday"),
    ):
        response = await client.patch(f"{DAYS}/calendar", json=patch, headers=admin)
        assert response.status_code == 422, response.text
        assert field in fields(response)
    assert (await client.get(f"{DAYS}/calendar", params={"month": "2026-13"}, headers=admin)).status_code == 422

    day = (
        await client.post(
            DAYS,
            json={"kind": "mass_service", "heldOn": "2026-11-25", "unitId": str(district_a.village)},
            headers=admin,
        )
    ).json()
    member = await district_a.add_provider(member_id=uuid.uuid4(), name="李明", grid=district_a.grids[0])
    team = await district_a.add_provider(kind="professional_team", name="维修队")
    line = {
        "startsAt": "09:00:00",
        "providerId": str(member.id),
        "role": "branch_member",
        "vest": "红马甲·李明",
        "matter": "义诊",
    }
    for change, field in (
        ({"role": "mayor"}, "body.role"),
        ({"endsAt": "08:00:00"}, "body.endsAt"),
        ({"providerId": str(team.id)}, "body.providerId"),
        ({"served": "3"}, "body.served"),
        ({"vest": " "}, "body.vest"),
    ):
        response = await client.post(f"{DAYS}/{day['id']}/roster", json={**line, **change}, headers=admin)
        assert response.status_code == 422, (change, response.text)
        assert field in fields(response), (change, response.text)
    assert (await client.get(f"{DAYS}/{day['id']}", headers=admin)).json()["roster"] == []


async def test_another_districts_day_unit_and_member_are_not_found(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin_a, admin_b = staff(issuer, district_a), staff(issuer, district_b)
    day = (
        await client.post(
            DAYS,
            json={"kind": "mass_service", "heldOn": "2026-12-25", "unitId": str(district_a.village)},
            headers=admin_a,
        )
    ).json()
    assert (await client.get(f"{DAYS}/{day['id']}", headers=admin_b)).status_code == 404
    line = {
        "startsAt": "09:00:00",
        "providerId": str(uuid.uuid4()),
        "role": "branch_member",
        "vest": "红马甲",
        "matter": "义诊",
    }
    assert (await client.post(f"{DAYS}/{day['id']}/roster", json=line, headers=admin_b)).status_code == 404
    theirs = {"kind": "mass_service", "heldOn": "2026-12-25", "unitId": str(district_a.village)}
    assert (await client.post(DAYS, json=theirs, headers=admin_b)).status_code == 404
    member_a = await district_a.add_provider(member_id=uuid.uuid4(), name="赵敏")
    day_b = (
        await client.post(
            DAYS,
            json={"kind": "mass_service", "heldOn": "2026-12-25", "unitId": str(district_b.village)},
            headers=admin_b,
        )
    ).json()
    foreign = await client.post(
        f"{DAYS}/{day_b['id']}/roster", json={**line, "providerId": str(member_a.id)}, headers=admin_b
    )
    assert foreign.status_code == 422
    assert fields(foreign) == ["body.providerId"]
    listed = (await client.get(DAYS, headers=admin_b)).json()
    assert [d["id"] for d in listed] == [day_b["id"]]
