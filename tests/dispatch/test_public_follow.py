"""Residents follow a request by its number and their phone (a fresh follow token for a new SMS code), and choose
a category from the district's public list."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import PhoneVerification, ServiceCategory, Ticket
from shared.settings import Settings
from tests.dispatch.builders import District, operator
from tests.dispatch.receivers import Receiver
from tests.dispatch.test_notifications import configure, dispatch_env  # noqa: F401 - fixture
from tests.dispatch.test_public import ask_code, base, problem, request_body, sms  # noqa: F401 - fixture
from tests.orgtree.builders import mobile
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]


async def file(client: Client, settings: Settings, sms: Receiver, district: District, phone: str) -> dict[str, Any]:  # noqa: F811
    verification, code = await ask_code(client, settings, sms, district, phone)
    filed = await client.post(f"{base(district)}/requests", json=request_body(verification, code))
    assert filed.status_code == 201, filed.text
    answer: dict[str, Any] = filed.json()
    return answer


async def renew(client: Client, district: District, number: str, verification: str, code: str) -> Any:
    body = {"verificationId": verification, "code": code}
    return await client.post(f"{base(district)}/requests/{number}/follow-token", json=body)


def follows(client: Client, district: District, number: str, token: str) -> Any:
    return client.get(f"{base(district)}/requests/{number}", headers={"X-Follow-Token": token})


async def spent(district: District, verification: str) -> bool:
    async def read(session: AsyncSession) -> bool:
        row = await session.get(PhoneVerification, uuid.UUID(verification))
        assert row is not None
        return row.verified_at is not None

    used: bool = await district.run(read)
    return used


async def test_a_resident_follows_a_request_by_its_number_and_a_new_code(
    client: Client,
    settings: Settings,
    sms: Receiver,  # noqa: F811
    district_a: District,
) -> None:
    phone = mobile(41)
    filed = await file(client, settings, sms, district_a, phone)
    number, old_token = filed["number"], filed["followToken"]
    verification, code = await ask_code(client, settings, sms, district_a, phone)
    renewed = await renew(client, district_a, number, verification, code)
    assert renewed.status_code == 201, renewed.text
    assert renewed.json()["number"] == number
    token = renewed.json()["followToken"]
    assert len(token) >= 40
    assert token != old_token
    followed = await follows(client, district_a, number, token)
    assert followed.status_code == 200, followed.text
    assert followed.json()["status"] == "new"
    problem(await follows(client, district_a, number, old_token), 404)  # replaced
    again = problem(await renew(client, district_a, number, verification, code), 422)
    assert again["errors"][0]["field"] == "body.verificationId"

    async def audited(session: AsyncSession) -> int:
        found = await session.scalar(
            text("SELECT count(*) FROM audit_event WHERE action = 'dispatch.public.follow_token_issued'")
        )
        return int(found or 0)

    assert await district_a.run(audited) == 1


async def test_a_phoned_in_request_is_followed_with_the_callers_phone(
    *,
    client: Client,
    issuer: TestIssuer,
    settings: Settings,
    sms: Receiver,  # noqa: F811
    dispatch_env: pytest.MonkeyPatch,  # noqa: F811
    district_a: District,
) -> None:
    configure(dispatch_env, public_requests_per_day=1)
    phone = mobile(42)
    body = {"channel": "phone", "title": "楼道灯坏了", "callerPhone": phone, "gridId": str(district_a.grids[0])}
    called = await client.post("/api/dispatch/tickets", json=body, headers=operator(issuer, district_a))
    assert called.status_code == 201, called.text
    number = called.json()["ticket"]["number"]
    verification, code = await ask_code(client, settings, sms, district_a, phone)
    renewed = await renew(client, district_a, number, verification, code)
    assert renewed.status_code == 201, renewed.text
    followed = await follows(client, district_a, number, renewed.json()["followToken"])
    assert followed.status_code == 200, followed.text
    # it was not filed on the resident's page: the day's one request filed there is still to be had
    assert (await file(client, settings, sms, district_a, phone))["number"] != number


async def test_another_phones_number_is_the_same_404_as_an_unknown_one_and_spends_the_code(
    client: Client,
    settings: Settings,
    sms: Receiver,  # noqa: F811
    district_a: District,
    district_b: District,
) -> None:
    theirs = await file(client, settings, sms, district_a, mobile(43))
    other = mobile(44)
    answers = []
    for number in (theirs["number"], "20991231-9999"):
        verification, code = await ask_code(client, settings, sms, district_a, other)
        refused = problem(await renew(client, district_a, number, verification, code), 404)
        answers.append((refused["title"], refused["detail"], refused.get("errors")))
        assert await spent(district_a, verification)  # one code, one try
        problem(await renew(client, district_a, theirs["number"], verification, code), 422)
    assert answers[0] == answers[1]
    assert (await follows(client, district_a, theirs["number"], theirs["followToken"])).status_code == 200  # untouched

    # another district's path: the verification is not one of its own, nothing is issued there
    verification, code = await ask_code(client, settings, sms, district_a, mobile(45))
    elsewhere = problem(await renew(client, district_b, theirs["number"], verification, code), 422)
    assert elsewhere["errors"][0]["field"] == "body.verificationId"


async def test_wrong_codes_are_counted_bad_input_is_named_and_codes_are_limited(
    *,
    client: Client,
    settings: Settings,
    sms: Receiver,  # noqa: F811
    dispatch_env: pytest.MonkeyPatch,  # noqa: F811
    district_a: District,
) -> None:
    phone = mobile(46)
    filed = await file(client, settings, sms, district_a, phone)
    configure(dispatch_env, public_codes_per_hour=2)
    verification, code = await ask_code(client, settings, sms, district_a, phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    refused = problem(await renew(client, district_a, filed["number"], verification, wrong), 422)
    assert refused["errors"] == [{"field": "body.code", "message": "wrong code; 4 tries left"}]
    assert not await spent(district_a, verification)
    body: dict[str, Any] = {"verificationId": verification, "code": int(code)}
    strict = problem(await client.post(f"{base(district_a)}/requests/{filed['number']}/follow-token", json=body), 422)
    assert strict["errors"][0]["field"] == "body.code"
    limited = problem(await client.post(f"{base(district_a)}/verifications", json={"phone": phone}), 429)
    assert "per hour" in limited["detail"]
    renewed = await renew(client, district_a, filed["number"], verification, code)
    assert renewed.status_code == 201, renewed.text
    problem(await renew(client, district_a, filed["number"], verification, code), 422)  # spent


async def test_the_districts_categories_are_public_codes_and_names_only(
    client: Client,
    district_a: District,
) -> None:
    listed = await client.get(f"{base(district_a)}/categories")
    assert listed.status_code == 200, listed.text
    categories = listed.json()
    assert {c["code"] for c in categories} == set(district_a.categories)
    assert all(set(c) == {"id", "code", "name"} for c in categories)
    assert {c["code"]: c["id"] for c in categories} == {k: str(v) for k, v in district_a.categories.items()}

    async def retire(session: AsyncSession) -> None:
        await session.execute(
            update(ServiceCategory).where(ServiceCategory.code == "citizen_life").values(active=False)
        )

    await district_a.run(retire)
    after = (await client.get(f"{base(district_a)}/categories")).json()
    assert "citizen_life" not in {c["code"] for c in after}
    problem(await client.get(f"{base(uuid.uuid4())}/categories"), 404)

    async def tickets(session: AsyncSession) -> int:
        return await session.scalar(select(func.count()).select_from(Ticket)) or 0

    assert await district_a.run(tickets) == 0
