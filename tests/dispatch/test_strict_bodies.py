"""Strict request bodies in the hotline: a number or a boolean sent as a string is a 422 naming the field, and
nothing is stored (no points spent, no ticket reopened, no service time recorded)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Feedback, ServiceCategory, Ticket
from tests.dispatch.builders import District, as_provider, bearer, staff
from tests.dispatch.test_closure import DONE, count, provider_ticket, resolved_by_unit
from tests.dispatch.test_timebank import funded, ledger
from tests.platform.tokens import TestIssuer


def refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    [error] = response.json()["errors"]
    assert error["field"] == field
    assert error["message"].startswith("Expected `int") or error["message"].startswith("Expected `bool")
    assert error["message"].endswith("got `str`")


async def test_points_sent_as_a_string_spend_and_give_nothing(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    member = uuid.uuid4()
    provider = await funded(district_a, 60, member_id=member)  # 10 points
    household = district_a.households[0]
    await district_a.link(household, member)
    headers = as_provider(issuer, district_a, provider)
    redemption = {"points": "5", "item": "大米一袋"}
    refused(await client.post("/api/dispatch/timebank/redemptions", json=redemption, headers=headers), "body.points")
    gift = {"householdId": str(household), "points": "5", "reason": "结对帮扶"}
    refused(await client.post("/api/dispatch/timebank/transfers", json=gift, headers=headers), "body.points")
    assert await ledger(district_a, provider.id) == (10, 10)
    me = await client.get("/api/dispatch/timebank/me", headers=headers)
    assert me.json()["balancePoints"] == 10


async def test_satisfied_sent_as_a_string_does_not_reopen_the_ticket(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    resident = uuid.uuid4()
    ticket_id = await resolved_by_unit(client, issuer, district_a, caller_user_id=resident)
    as_resident = bearer(issuer, district_a.id, ["resident"], user_id=resident)
    url = f"/api/dispatch/tickets/{ticket_id}/feedback"
    answer = {"satisfied": "false", "comment": "灯还是不亮"}
    refused(await client.post(url, json=answer, headers=as_resident), "body.satisfied")
    assert await count(district_a, Feedback, ticket_id) == 0
    shown = await client.get(f"/api/dispatch/tickets/{ticket_id}", headers=staff(issuer, district_a))
    assert shown.json()["status"] == "resolved"


async def test_service_minutes_sent_as_a_string_are_not_recorded(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    ticket_id, provider = await provider_ticket(client, issuer, district_a)
    url = f"/api/dispatch/tickets/{ticket_id}/resolution"
    body = {**DONE, "serviceMinutes": "30"}
    refused(await client.post(url, json=body, headers=as_provider(issuer, district_a, provider)), "body.serviceMinutes")

    async def read(session: AsyncSession) -> tuple[str, int | None, str | None]:
        ticket = await session.get(Ticket, uuid.UUID(ticket_id))
        assert ticket is not None
        return ticket.status, ticket.service_minutes, ticket.resolution_note

    assert await district_a.run(read) == ("on_site", None, None)


async def test_a_category_setting_sent_as_a_string_changes_nothing(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    url = "/api/dispatch/catalogue/citizen_life"
    admin = staff(issuer, district_a)
    refused(await client.patch(url, json={"answerWindowMinutes": "30"}, headers=admin), "body.answerWindowMinutes")
    refused(await client.patch(url, json={"workingTime": "true"}, headers=admin), "body.workingTime")

    async def read(session: AsyncSession) -> tuple[int, bool]:
        category = await session.get(ServiceCategory, district_a.categories["citizen_life"])
        assert category is not None
        return category.answer_window_minutes, category.working_time

    assert await district_a.run(read) == (10, False)
