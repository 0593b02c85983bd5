"""Hotline numbers per level (DSP-02, Ouhai's 7171 lines [004]): the district admin lists each number with the unit
that owns it; a call taken on a number is placed at that unit; an unknown number is a 422 and nothing is stored."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Ticket, TicketHistory
from tests.dispatch.builders import District, bearer, operator, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
NUMBERS = "/api/dispatch/numbers"


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


async def publish(
    client: Client, issuer: TestIssuer, district: District, number: str, unit: uuid.UUID, **extra: object
) -> dict[str, Any]:
    body = {"number": number, "unitId": str(unit), "label": "民情热线", **extra}
    response = await client.post(NUMBERS, json=body, headers=staff(issuer, district))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def tickets_in(district: District) -> int:
    async def count(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(Ticket)) or 0)

    counted: int = await district.run(count)
    return counted


def village_path(district: District) -> str:
    return district.grid_paths[district.grids[0]].rsplit("/", 2)[0] + "/"


async def test_the_admin_lists_a_number_per_level_each_owned_by_its_unit(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    await publish(client, issuer, district_a, "0577-8888 7171", district_a.root)
    await publish(client, issuer, district_a, "057786667171", district_a.street, synthetic=True)
    await publish(client, issuer, district_a, "057786557171", district_a.village)

    listed = (await client.get(NUMBERS, headers=operator(issuer, district_a))).json()

    assert [(n["number"], n["unitLevel"], n["unitName"]) for n in listed] == [
        ("057788887171", "district", "龙湾区"),
        ("057786667171", "street", "状元街道"),
        ("057786557171", "village", "瑶溪村"),
    ]
    assert [n["synthetic"] for n in listed] == [False, True, False]
    units = (await client.get(f"{NUMBERS}/units", headers=staff(issuer, district_a))).json()
    assert [(u["level"], u["name"]) for u in units][:3] == [
        ("district", "龙湾区"),
        ("street", "状元街道"),
        ("village", "瑶溪村"),
    ]
    assert {u["id"] for u in units} >= {str(g) for g in district_a.grids}


async def test_a_call_on_the_community_number_is_placed_at_the_community(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    await publish(client, issuer, district_a, "057786557171", district_a.village)
    body = {
        "channel": "phone",
        "title": "小区路灯不亮",
        "dialledNumber": "0577-8655 7171",
        "callerPhone": "13900001111",
    }

    response = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district_a))

    assert response.status_code == 201, response.text
    ticket = response.json()["ticket"]
    assert ticket["dialledNumber"] == "057786557171"
    assert ticket["unitId"] == str(district_a.village)
    assert ticket["gridId"] is None
    history = (
        await client.get(f"/api/dispatch/tickets/{ticket['id']}/history", headers=operator(issuer, district_a))
    ).json()
    assert history[0]["details"]["numberUnit"] == "瑶溪村"
    assert history[0]["details"]["placedAtNumberUnit"] is True
    # the community's cadre sees the call in their subtree; a cadre of another street does not
    cadre = bearer(issuer, district_a.id, ["community_cadre"], scope=village_path(district_a), user_id=uuid.uuid4())
    assert (await client.get(f"/api/dispatch/tickets/{ticket['id']}", headers=cadre)).status_code == 200
    elsewhere = bearer(issuer, district_a.id, ["street_admin"], scope="/zzzzzzzz/", user_id=uuid.uuid4())
    assert (await client.get(f"/api/dispatch/tickets/{ticket['id']}", headers=elsewhere)).status_code == 404


async def test_a_call_on_the_street_number_about_a_household_keeps_its_grid_and_goes_to_the_street(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    await publish(client, issuer, district_a, "057786667171", district_a.street)
    body = {
        "channel": "phone",
        "title": "屋顶漏水",
        "dialledNumber": "057786667171",
        "householdId": str(district_a.households[0]),
    }

    response = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district_a))

    ticket = response.json()["ticket"]
    assert ticket["gridId"] == str(district_a.grids[0])
    assert ticket["unitId"] == str(district_a.street)


async def test_an_unknown_or_malformed_number_is_a_422_and_nothing_is_stored(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    await publish(client, issuer, district_a, "057786557171", district_a.village)
    before = await tickets_in(district_a)
    for dialled in ("057712347171", "not-a-number"):
        body = {"channel": "phone", "title": "咨询", "dialledNumber": dialled}
        response = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district_a))
        assert response.status_code == 422, response.text
        assert fields(response) == ["body.dialledNumber"]
    as_number = {"channel": "phone", "title": "咨询", "dialledNumber": 57}
    response = await client.post("/api/dispatch/tickets", json=as_number, headers=operator(issuer, district_a))
    assert response.status_code == 422
    assert "dialledNumber" in response.text
    assert await tickets_in(district_a) == before


async def test_a_number_out_of_service_no_longer_places_calls(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    number = await publish(client, issuer, district_a, "057786557171", district_a.village)
    changed = await client.patch(f"{NUMBERS}/{number['id']}", json={"active": False}, headers=staff(issuer, district_a))
    assert changed.status_code == 200
    assert changed.json()["active"] is False

    body = {"channel": "phone", "title": "咨询", "dialledNumber": "057786557171"}
    response = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district_a))

    assert response.status_code == 422
    assert fields(response) == ["body.dialledNumber"]


async def test_the_admin_moves_a_number_to_another_unit(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    number = await publish(client, issuer, district_a, "057786557171", district_a.village)

    moved = {"unitId": str(district_a.street), "label": "街道热线"}
    response = await client.patch(f"{NUMBERS}/{number['id']}", json=moved, headers=staff(issuer, district_a))

    assert response.status_code == 200, response.text
    assert (response.json()["unitName"], response.json()["label"]) == ("状元街道", "街道热线")


async def test_bad_numbers_are_refused_naming_the_field(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    unit = str(district_a.village)
    cases = [
        ({"number": "71-71", "unitId": unit}, "body.number"),
        ({"number": 57786557171, "unitId": unit}, "body.number"),
        ({"number": "057786557171", "unitId": str(uuid.uuid4())}, "body.unitId"),
        ({"number": "057786557171", "unitId": "not-a-uuid"}, "body.unitId"),
        ({"number": "057786557171", "unitId": unit, "synthetic": "true"}, "body.synthetic"),
        ({"number": "057786557171", "unitId": unit, "colour": "red"}, "body.colour"),
    ]
    for body, field in cases:
        response = await client.post(NUMBERS, json=body, headers=admin)
        assert response.status_code == 422, (body, response.text)
        assert field in response.text, (body, response.text)
    assert (await client.get(NUMBERS, headers=admin)).json() == []
    await publish(client, issuer, district_a, "057786557171", district_a.village)
    again = await client.post(NUMBERS, json={"number": "0577 8655 7171", "unitId": unit}, headers=admin)
    assert again.status_code == 409
    patched = await client.get(NUMBERS, headers=admin)
    bad = await client.patch(f"{NUMBERS}/{patched.json()[0]['id']}", json={"active": "no"}, headers=admin)
    assert bad.status_code == 422
    assert "active" in bad.text


async def test_only_the_district_admin_edits_numbers(client: Client, issuer: TestIssuer, district_a: District) -> None:
    body = {"number": "057786557171", "unitId": str(district_a.village)}
    response = await client.post(NUMBERS, json=body, headers=operator(issuer, district_a))
    assert response.status_code == 403


async def test_another_districts_number_is_a_404_and_places_no_call(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    number = await publish(client, issuer, district_a, "057786557171", district_a.village)
    other = staff(issuer, district_b)

    patched = await client.patch(f"{NUMBERS}/{number['id']}", json={"label": "改"}, headers=other)
    assert patched.status_code == 404
    assert (await client.get(NUMBERS, headers=other)).json() == []
    unit_of_a = await client.post(
        NUMBERS, json={"number": "057700007171", "unitId": str(district_a.village)}, headers=other
    )
    assert unit_of_a.status_code == 422
    assert fields(unit_of_a) == ["body.unitId"]
    body = {"channel": "phone", "title": "咨询", "dialledNumber": "057786557171"}
    call = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district_b))
    assert call.status_code == 422
    assert fields(call) == ["body.dialledNumber"]


async def test_the_intake_row_says_which_number_was_dialled(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    await publish(client, issuer, district_a, "057788887171", district_a.root)
    body = {"channel": "phone", "title": "政策咨询", "dialledNumber": "057788887171"}
    ticket = (await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district_a))).json()

    async def intake(session: AsyncSession) -> dict[str, Any]:
        row = await session.scalar(
            select(TicketHistory).where(TicketHistory.ticket_id == uuid.UUID(ticket["ticket"]["id"]))
        )
        assert row is not None
        return dict(row.details)

    details = await district_a.run(intake)
    assert details["dialledNumber"] == "057788887171"
    assert details["numberUnit"] == "龙湾区"
