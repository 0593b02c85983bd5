"""The village micro-fund (DSP-23 [000]): benefactors' donations in, payments out for a micro-wish or a case; the
balance never goes below zero, and a payment beyond it is a 409 naming the balance."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import DirectoryGrid, DirectoryHousehold
from tests.dispatch.builders import District, open_ticket, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
FUND = "/api/dispatch/fund/villages"


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


async def collect_wish(client: Client, headers: dict[str, str], household: uuid.UUID, title: str = "轮椅一辆") -> str:
    body = {"source": "visit", "title": title, "valueYuan": "180", "householdId": str(household)}
    response = await client.post("/api/dispatch/wishes", json=body, headers=headers)
    assert response.status_code == 201, response.text
    wish_id: str = response.json()["id"]
    return wish_id


async def other_village(district: District) -> tuple[uuid.UUID, uuid.UUID]:
    """A second village of the same street with one grid and one household: (village, household)."""
    village, grid, household = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    chain = [
        {"id": str(district.root), "level": "district", "name": "区"},
        {"id": str(district.street), "level": "street", "name": "状元街道"},
        {"id": str(village), "level": "village", "name": "下垟村"},
    ]
    path = f"/{district.root.hex[:8]}/{district.street.hex[:8]}/{village.hex[:8]}/{grid.hex[:8]}/"

    async def add(session: AsyncSession) -> None:
        session.add(DirectoryGrid(grid_id=grid, name="下垟第1网格", path=path, ancestors=chain))
        session.add(DirectoryHousehold(household_id=household, grid_id=grid))

    await district.run(add)
    return village, household


async def test_donations_pay_for_a_wish_and_a_case_and_the_balance_never_goes_below_zero(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    ledger = f"{FUND}/{district_a.village}"
    given = await client.post(f"{ledger}/donations", json={"amount": 500, "donor": "林先生（示例）"}, headers=admin)
    assert given.status_code == 201, given.text
    assert (given.json()["amount"], given.json()["balanceAfter"]) == ("500.00", "500.00")
    wish = await collect_wish(client, admin, district_a.households[0])
    paid = await client.post(
        f"{ledger}/disbursements", json={"amount": 180, "purpose": "购置轮椅", "wishId": wish}, headers=admin
    )
    assert paid.status_code == 201, paid.text
    assert (paid.json()["balanceAfter"], paid.json()["linkedTitle"]) == ("320.00", "轮椅一辆")
    ticket = await open_ticket(client, issuer, district_a)
    case = {"amount": 300.5, "purpose": "更换楼道灯材料费", "ticketId": ticket["id"]}
    assert (await client.post(f"{ledger}/disbursements", json=case, headers=admin)).status_code == 201

    over = await client.post(f"{ledger}/disbursements", json={**case, "amount": 20}, headers=admin)
    assert over.status_code == 409
    assert over.headers["content-type"].startswith("application/problem+json")
    assert "¥19.50" in over.json()["detail"]

    book = (await client.get(ledger, headers=admin)).json()
    assert book["fund"] == {
        "villageId": str(district_a.village),
        "villageName": "瑶溪村",
        "streetName": "状元街道",
        "donations": "500.00",
        "disbursements": "480.50",
        "balance": "19.50",
    }
    assert [(e["kind"], e["balanceAfter"]) for e in book["entries"]] == [
        ("disbursement", "19.50"),
        ("disbursement", "320.00"),
        ("donation", "500.00"),
    ]
    villages = (await client.get(FUND, headers=admin)).json()
    assert [(v["villageName"], v["balance"]) for v in villages] == [("瑶溪村", "19.50")]


async def test_bad_input_is_refused_naming_the_field_and_nothing_is_booked(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    ledger = f"{FUND}/{district_a.village}"
    for body, field in (
        ({"amount": "500", "donor": "林先生"}, "body.amount"),
        ({"amount": 0, "donor": "林先生"}, "body.amount"),
        ({"amount": 1.234, "donor": "林先生"}, "body.amount"),
        ({"amount": 10, "donor": " "}, "body.donor"),
        ({"amount": 10, "donor": "林先生", "receivedOn": "2099-01-01"}, "body.receivedOn"),
    ):
        response = await client.post(f"{ledger}/donations", json=body, headers=admin)
        assert response.status_code == 422, (body, response.text)
        assert field in fields(response), (body, response.text)
    await client.post(f"{ledger}/donations", json={"amount": 100, "donor": "林先生"}, headers=admin)
    wish = await collect_wish(client, admin, district_a.households[0])
    ticket = await open_ticket(client, issuer, district_a)
    for body, field in (
        ({"amount": 10, "purpose": "买米"}, "body.wishId"),
        ({"amount": 10, "purpose": "买米", "wishId": wish, "ticketId": ticket["id"]}, "body.wishId"),
        ({"amount": 10, "purpose": "买米", "wishId": "轮椅"}, "body.wishId"),
        ({"amount": "10", "purpose": "买米", "wishId": wish}, "body.amount"),
    ):
        response = await client.post(f"{ledger}/disbursements", json=body, headers=admin)
        assert response.status_code == 422, (body, response.text)
        assert field in fields(response), (body, response.text)
    village, household = await other_village(district_a)
    elsewhere = await collect_wish(client, admin, household, "助听器")
    response = await client.post(
        f"{ledger}/disbursements", json={"amount": 10, "purpose": "助听器", "wishId": elsewhere}, headers=admin
    )
    assert response.status_code == 422
    assert fields(response) == ["body.wishId"]
    assert (await client.get(ledger, headers=admin)).json()["fund"]["balance"] == "100.00"
    assert (await client.get(f"{FUND}/{village}", headers=admin)).json()["entries"] == []


async def test_another_districts_village_wish_and_case_are_not_found(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin_a, admin_b = staff(issuer, district_a), staff(issuer, district_b)
    await client.post(f"{FUND}/{district_a.village}/donations", json={"amount": 50, "donor": "王女士"}, headers=admin_a)
    assert (await client.get(f"{FUND}/{district_a.village}", headers=admin_b)).status_code == 404
    theirs = await client.post(
        f"{FUND}/{district_a.village}/donations", json={"amount": 5, "donor": "某"}, headers=admin_b
    )
    assert theirs.status_code == 404
    await client.post(f"{FUND}/{district_b.village}/donations", json={"amount": 50, "donor": "王女士"}, headers=admin_b)
    wish_a = await collect_wish(client, admin_a, district_a.households[0])
    ticket_a = await open_ticket(client, issuer, district_a)
    for link in ({"wishId": wish_a}, {"ticketId": ticket_a["id"]}):
        response = await client.post(
            f"{FUND}/{district_b.village}/disbursements", json={"amount": 5, "purpose": "试图", **link}, headers=admin_b
        )
        assert response.status_code == 404, response.text
    assert (await client.get(f"{FUND}/{district_a.village}", headers=admin_a)).json()["fund"]["balance"] == "50.00"
    assert (await client.get(FUND, headers=admin_b)).json()[0]["balance"] == "50.00"
