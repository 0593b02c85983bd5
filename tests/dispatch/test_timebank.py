"""The time bank: points from service, redemptions and gifts, never a negative balance."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Provider, TimeBankAccount, TimeBankEntry
from services.dispatch.timebank.services import credit_service, points_for
from tests.dispatch.builders import District, as_provider, bearer, operator, put_ticket
from tests.platform.tokens import TestIssuer


async def funded(district: District, minutes: int, *, member_id: uuid.UUID | None = None) -> Provider:
    """A provider credited for one completed order of ``minutes``."""
    provider = await district.add_provider(member_id=member_id)
    ticket_id = await put_ticket(district, provider_id=provider.id, status="resolved")

    async def credit(session: AsyncSession) -> int | None:
        return await credit_service(session, ticket_id, provider.id, minutes)

    await district.run(credit)
    return provider


async def ledger(district: District, holder_id: uuid.UUID) -> tuple[int, int]:
    """The account's balance and the sum of its entries."""

    async def read(session: AsyncSession) -> tuple[int, int]:
        account = (await session.scalars(select(TimeBankAccount).where(TimeBankAccount.holder_id == holder_id))).one()
        total = await session.scalar(
            select(func.coalesce(func.sum(TimeBankEntry.points), 0)).where(TimeBankEntry.account_id == account.id)
        )
        return account.balance_points, int(total or 0)

    found: tuple[int, int] = await district.run(read)
    return found


def test_points_are_ten_an_hour_pro_rata_rounded_down() -> None:
    assert [points_for(m) for m in (0, 5, 6, 59, 60, 90, 125)] == [0, 0, 1, 9, 10, 15, 20]


async def test_concurrent_redemptions_never_overdraw_the_balance(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    provider = await funded(district_a, 600)  # 100 points
    headers = as_provider(issuer, district_a, provider)
    responses = await asyncio.gather(
        *(
            client.post("/api/dispatch/timebank/redemptions", json={"points": 30, "item": "大米一袋"}, headers=headers)
            for _ in range(10)
        )
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] * 3 + [409] * 7, [r.text for r in responses]
    assert all(r.json()["detail"] == "not enough points" for r in responses if r.status_code == 409)
    assert await ledger(district_a, provider.id) == (10, 10)
    mine = (await client.get("/api/dispatch/timebank/me", headers=headers)).json()
    assert mine["balancePoints"] == 10
    assert mine["serviceMinutes"] == 600
    assert sorted(e["kind"] for e in mine["entries"]) == ["credit", "redemption", "redemption", "redemption"]


async def test_concurrent_gifts_and_redemptions_share_one_balance(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    member = uuid.uuid4()
    provider = await funded(district_a, 300, member_id=member)  # 50 points
    household = district_a.households[0]
    await district_a.link(household, member)
    headers = as_provider(issuer, district_a, provider)
    gift = {"householdId": str(household), "points": 20, "reason": "结对帮扶"}
    responses = await asyncio.gather(
        *(
            client.post("/api/dispatch/timebank/transfers", json=gift, headers=headers)
            if n % 2
            else client.post(
                "/api/dispatch/timebank/redemptions", json={"points": 20, "item": "家政保洁一次"}, headers=headers
            )
            for n in range(6)
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 201, 409, 409, 409, 409]
    balance, entries = await ledger(district_a, provider.id)
    assert balance == entries == 10
    given = sum(20 for r in responses if r.status_code == 201 and r.json()["entry"]["kind"] == "transfer_out")
    if given:  # which two of the six won is up to the race; the household holds exactly what was given
        assert await ledger(district_a, household) == (given, given)


async def test_a_gift_goes_to_a_paired_household_only(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    member = uuid.uuid4()
    provider = await funded(district_a, 120, member_id=member)  # 20 points
    paired, unpaired = district_a.households[0], district_a.households[1]
    await district_a.link(paired, member)
    headers = as_provider(issuer, district_a, provider)
    url = "/api/dispatch/timebank/transfers"
    for household in (unpaired, district_b.households[0]):
        refused = await client.post(
            url, json={"householdId": str(household), "points": 5, "reason": "结对帮扶"}, headers=headers
        )
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "body.householdId"
    given = await client.post(
        url, json={"householdId": str(paired), "points": 15, "reason": "结对帮扶"}, headers=headers
    )
    assert given.status_code == 201, given.text
    assert given.json()["balancePoints"] == 5
    assert given.json()["entry"]["points"] == -15
    desk = operator(issuer, district_a)
    found = await client.get(
        "/api/dispatch/timebank/accounts", headers=desk, params={"holderKind": "household", "holderId": str(paired)}
    )
    assert found.status_code == 200, found.text
    assert found.json()["balancePoints"] == 15
    assert [(e["kind"], e["points"]) for e in found.json()["entries"]] == [("transfer_in", 15)]
    assert await ledger(district_a, provider.id) == (5, 5)
    too_much = await client.post(
        url, json={"householdId": str(paired), "points": 6, "reason": "结对帮扶"}, headers=headers
    )
    assert too_much.status_code == 409
    assert too_much.json()["detail"] == "not enough points"
    assert await ledger(district_a, paired) == (15, 15)


async def test_bad_amounts_and_callers_are_refused_and_change_nothing(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    provider = await funded(district_a, 60)
    headers = as_provider(issuer, district_a, provider)
    url = "/api/dispatch/timebank/redemptions"
    for body, field in (
        ({"points": 0, "item": "大米"}, "body.points"),
        ({"points": 5, "item": ""}, "body.item"),
        ({"points": 5}, "body.item"),
    ):
        response = await client.post(url, json=body, headers=headers)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field
    assert (await client.post(url, json={"points": 11, "item": "大米"}, headers=headers)).status_code == 409
    assert await ledger(district_a, provider.id) == (10, 10)
    not_a_provider = bearer(issuer, district_a.id, ["volunteer"])
    assert (await client.get("/api/dispatch/timebank/me", headers=not_a_provider)).status_code == 404
    assert (await client.post(url, json={"points": 1, "item": "大米"}, headers=not_a_provider)).status_code == 404
    assert (await client.get("/api/dispatch/timebank/me", headers=operator(issuer, district_a))).status_code == 403


async def test_an_account_of_another_district_is_a_404(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    provider = await funded(district_a, 60)
    mine = await client.get(
        "/api/dispatch/timebank/accounts",
        headers=operator(issuer, district_a),
        params={"holderKind": "provider", "holderId": str(provider.id)},
    )
    account_id = mine.json()["id"]
    assert (
        await client.get(f"/api/dispatch/timebank/accounts/{account_id}", headers=operator(issuer, district_a))
    ).status_code == 200
    other = operator(issuer, district_b)
    assert (await client.get(f"/api/dispatch/timebank/accounts/{account_id}", headers=other)).status_code == 404
    lookup = await client.get(
        "/api/dispatch/timebank/accounts",
        headers=other,
        params={"holderKind": "provider", "holderId": str(provider.id)},
    )
    assert lookup.status_code == 404
    volunteer = as_provider(issuer, district_a, provider)
    assert (await client.get(f"/api/dispatch/timebank/accounts/{account_id}", headers=volunteer)).status_code == 403
    # The provider's own token in another district finds no account there.
    elsewhere = bearer(issuer, district_b.id, ["volunteer"], user_id=provider.user_id)
    assert (await client.get("/api/dispatch/timebank/me", headers=elsewhere)).status_code == 404
