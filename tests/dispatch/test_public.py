"""The residents' public endpoint: a code by SMS, a request filed with it, and following it with a token."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Notification, PhoneVerification, Ticket
from services.dispatch.notifications.delivery import CODE_PARAM, Delivery
from shared.clock import now
from shared.settings import Settings
from tests.dispatch.builders import District, operator
from tests.dispatch.receivers import Receiver, receiving
from tests.dispatch.test_notifications import configure, dispatch_env  # noqa: F401 - fixture
from tests.orgtree.builders import mobile
from tests.platform.tokens import TestIssuer

PROBLEM = "application/problem+json"


@pytest.fixture
async def sms(dispatch_env: pytest.MonkeyPatch, settings: Settings) -> AsyncIterator[Receiver]:  # noqa: F811
    async with receiving() as receiver:
        configure(dispatch_env, sms_gateway_url=receiver.url)
        yield receiver


def base(district: District | uuid.UUID) -> str:
    tenant = district.id if isinstance(district, District) else district
    return f"/api/dispatch/public/{tenant}"


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    return body


async def ask_code(
    client: AsyncTestClient[Any], settings: Settings, sms: Receiver, district: District, phone: str
) -> tuple[str, str]:
    """Request a code and deliver its SMS; (verification id, the code the resident read)."""
    started = await client.post(f"{base(district)}/verifications", json={"phone": phone})
    assert started.status_code == 201, started.text
    verification = started.json()["verificationId"]

    async def queued(session: AsyncSession) -> uuid.UUID:
        row = await session.scalar(
            select(Notification).where(Notification.params["verificationId"].astext == verification)
        )
        assert row is not None
        return row.id

    delivery = Delivery(lambda: settings)
    try:
        assert await delivery.deliver(district.id, await district.run(queued)) == "delivered"
    finally:
        await delivery.close()
    message = sms.received[-1].json()
    assert message["phone"] == phone
    code = re.search(r"验证码为(\d{6})", message["text"])
    assert code is not None, message["text"]
    return verification, code.group(1)


def request_body(verification: str, code: str, **extra: object) -> dict[str, object]:
    return {
        "verificationId": verification,
        "code": code,
        "title": "楼道灯坏了",
        "description": "三楼楼道灯不亮",
        **extra,
    }


async def test_a_resident_files_a_request_with_a_code_and_follows_it(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, sms: Receiver, district_a: District
) -> None:
    phone = mobile(31)
    verification, code = await ask_code(client, settings, sms, district_a, phone)
    assert "【96345】您的验证码为" in sms.received[-1].json()["text"]

    async def log_row(session: AsyncSession) -> Notification:
        row = await session.scalar(
            select(Notification).where(Notification.params["verificationId"].astext == verification)
        )
        assert row is not None
        return row

    logged = await district_a.run(log_row)
    assert CODE_PARAM not in logged.params
    assert code not in json.dumps(logged.params)

    category = str(district_a.categories["citizen_life"])
    filed = await client.post(
        f"{base(district_a)}/requests",
        json=request_body(
            verification,
            code,
            categoryId=category,
            address="浙江省嘉兴市南湖区文昌路1号",
        ),
    )
    assert filed.status_code == 201, filed.text
    number, token = filed.json()["number"], filed.json()["followToken"]
    assert len(token) >= 40

    async def stored(session: AsyncSession) -> Ticket:
        return (await session.scalars(select(Ticket).where(Ticket.number == number))).one()

    ticket = await district_a.run(stored)
    assert (ticket.channel, ticket.status, ticket.created_by) == ("web", "new", None)
    assert ticket.caller_phone_masked == "138****0031"
    assert ticket.follow_token_hash not in (None, token)
    desk = await client.get(f"/api/dispatch/tickets/{ticket.id}", headers=operator(issuer, district_a))
    assert desk.json()["callerPhone"] == "138****0031"

    followed = await client.get(f"{base(district_a)}/requests/{number}", headers={"X-Follow-Token": token})
    assert followed.status_code == 200, followed.text
    view = followed.json()
    assert (view["number"], view["status"], view["statusLabel"]) == (number, "new", "待分类")
    assert [(h["action"], h["status"]) for h in view["history"]] == [("created", "new")]
    assert set(view["history"][0]) == {"action", "at", "status", "actorName"}  # no actor id, reason or details
    assert view["history"][0]["actorName"] == "居民（网上自助）"

    again = await client.post(f"{base(district_a)}/requests", json=request_body(verification, code))
    assert problem(again, 422)["errors"][0]["field"] == "body.verificationId"


async def test_a_wrong_or_missing_follow_token_and_another_district_are_all_404(
    client: AsyncTestClient[Any], settings: Settings, sms: Receiver, district_a: District, district_b: District
) -> None:
    verification, code = await ask_code(client, settings, sms, district_a, mobile(32))
    filed = (await client.post(f"{base(district_a)}/requests", json=request_body(verification, code))).json()
    path = f"requests/{filed['number']}"
    problem(await client.get(f"{base(district_a)}/{path}", headers={"X-Follow-Token": "x" + filed["followToken"]}), 404)
    problem(await client.get(f"{base(district_a)}/{path}"), 404)
    problem(await client.get(f"{base(district_b)}/{path}", headers={"X-Follow-Token": filed["followToken"]}), 404)
    problem(await client.get(f"{base(district_a)}/requests/20991231-9999", headers={"X-Follow-Token": "t"}), 404)


async def test_wrong_codes_are_counted_and_the_fifth_kills_the_verification(
    client: AsyncTestClient[Any], settings: Settings, sms: Receiver, district_a: District
) -> None:
    verification, code = await ask_code(client, settings, sms, district_a, mobile(33))
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for tries_left in (4, 3, 2, 1, 0):
        refused = problem(
            await client.post(f"{base(district_a)}/requests", json=request_body(verification, wrong)), 422
        )
        assert refused["errors"][0]["field"] == "body.code"
        assert (f"{tries_left} tries left" in refused["detail"]) == (tries_left > 0)
    dead = problem(await client.post(f"{base(district_a)}/requests", json=request_body(verification, code)), 422)
    assert "too many wrong codes" in dead["detail"]

    async def state(session: AsyncSession) -> tuple[int, int]:
        row = await session.get(PhoneVerification, uuid.UUID(verification))
        assert row is not None
        return row.attempts, await session.scalar(select(func.count()).select_from(Ticket)) or 0

    assert await district_a.run(state) == (5, 0)


async def test_an_expired_code_is_refused(
    client: AsyncTestClient[Any], settings: Settings, sms: Receiver, district_a: District
) -> None:
    verification, code = await ask_code(client, settings, sms, district_a, mobile(34))

    async def expire(session: AsyncSession) -> None:
        await session.execute(
            update(PhoneVerification)
            .where(PhoneVerification.id == uuid.UUID(verification))
            .values(expires_at=now() - timedelta(seconds=1))
        )

    await district_a.run(expire)
    expired = problem(await client.post(f"{base(district_a)}/requests", json=request_body(verification, code)), 422)
    assert expired["errors"][0]["field"] == "body.code"
    assert "expired" in expired["detail"]


async def test_bad_input_names_the_field_and_stores_nothing(
    client: AsyncTestClient[Any], settings: Settings, sms: Receiver, district_a: District, district_b: District
) -> None:
    bad_phone = problem(await client.post(f"{base(district_a)}/verifications", json={"phone": "12345"}), 422)
    assert bad_phone["errors"][0]["field"] == "body.phone"
    missing = problem(await client.post(f"{base(district_a)}/verifications", json={}), 422)
    assert missing["errors"][0]["field"] == "body.phone"

    verification, code = await ask_code(client, settings, sms, district_a, mobile(35))
    cases = {
        "body.code": request_body(verification, "12ab56"),
        "body.title": {k: v for k, v in request_body(verification, code).items() if k != "title"},
        "body.categoryId": request_body(verification, code, categoryId=str(district_b.categories["citizen_life"])),
        "body.verificationId": request_body(str(uuid.uuid4()), code),
    }
    for field, body in cases.items():
        refused = problem(await client.post(f"{base(district_a)}/requests", json=body), 422)
        assert refused["errors"][0]["field"] == field, refused

    async def counts(session: AsyncSession) -> tuple[int, int]:
        tickets = await session.scalar(select(func.count()).select_from(Ticket))
        row = await session.get(PhoneVerification, uuid.UUID(verification))
        assert row is not None
        return tickets or 0, row.attempts

    assert await district_a.run(counts) == (0, 0)  # a refused category neither files nor burns the code
    filed = await client.post(f"{base(district_a)}/requests", json=request_body(verification, code))
    assert filed.status_code == 201, filed.text


async def test_an_unknown_district_is_404_on_every_public_route(client: AsyncTestClient[Any]) -> None:
    nowhere = uuid.uuid4()
    problem(await client.post(f"{base(nowhere)}/verifications", json={"phone": mobile(36)}), 404)
    problem(await client.post(f"{base(nowhere)}/requests", json=request_body(str(uuid.uuid4()), "123456")), 404)
    problem(await client.get(f"{base(nowhere)}/requests/20261202-0001", headers={"X-Follow-Token": "t"}), 404)


async def test_codes_per_hour_and_requests_per_day_are_limited_per_phone(
    *,
    client: AsyncTestClient[Any],
    settings: Settings,
    sms: Receiver,
    dispatch_env: pytest.MonkeyPatch,  # noqa: F811
    district_a: District,
    district_b: District,
) -> None:
    configure(dispatch_env, public_codes_per_hour=2, public_requests_per_day=1)
    phone = mobile(37)
    first, first_code = await ask_code(client, settings, sms, district_a, phone)
    second, second_code = await ask_code(client, settings, sms, district_a, phone)
    limited = problem(await client.post(f"{base(district_a)}/verifications", json={"phone": phone}), 429)
    assert "per hour" in limited["detail"]
    # Another phone, and the same phone in another district, have their own counts.
    assert (await client.post(f"{base(district_a)}/verifications", json={"phone": mobile(38)})).status_code == 201
    assert (await client.post(f"{base(district_b)}/verifications", json={"phone": phone})).status_code == 201

    assert (await client.post(f"{base(district_a)}/requests", json=request_body(first, first_code))).status_code == 201
    daily = problem(await client.post(f"{base(district_a)}/requests", json=request_body(second, second_code)), 429)
    assert "a day" in daily["detail"]

    async def count(session: AsyncSession) -> int:
        return await session.scalar(select(func.count()).select_from(Ticket)) or 0

    assert await district_a.run(count) == 1
