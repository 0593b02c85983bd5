"""The district's LRS settings (the password sealed, never shown) and the push of its statements to that LRS: a
real small LRS on a loopback port that refuses the first attempt and takes the next, in batches."""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from aiohttp import web
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from deploy.local_servers import free_ports
from services.training.models import LrsSettings, Person, XapiStatement
from services.training.xapi.push import push_due
from services.training.xapi.settings import XapiSettings
from shared.clock import now
from shared.settings import Settings
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser

LRS = "/api/training/xapi/lrs"
PASSWORD = "lrs-secret-9f2c"


@dataclass
class SmallLrs:
    """Takes POST /xapi/statements as an LRS does (Basic auth, the version header, a list of statements, the ids
    back) after refusing the first ``refuse`` requests with a 503; keeps every statement it took, once per id."""

    refuse: int = 0
    url: str = ""
    requests: list[int] = field(default_factory=list)  # statements per request, refused ones included
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)

    async def statements(self, request: web.Request) -> web.Response:
        if request.headers.get("X-Experience-API-Version", "")[:4] != "1.0.":
            return web.json_response({"error": "version header required"}, status=400)
        expected = "Basic " + base64.b64encode(f"training:{PASSWORD}".encode()).decode()
        if request.headers.get("Authorization") != expected:
            return web.json_response({"error": "unauthorised"}, status=401)
        batch = await request.json()
        self.requests.append(len(batch))
        if self.refuse:
            self.refuse -= 1
            return web.json_response({"error": "warming up"}, status=503)
        for statement in batch:
            self.stored.setdefault(statement["id"], statement)
        return web.json_response([statement["id"] for statement in batch])


@asynccontextmanager
async def small_lrs(refuse: int = 0) -> AsyncIterator[SmallLrs]:
    lrs = SmallLrs(refuse=refuse)
    app = web.Application()
    app.router.add_post("/xapi/statements", lrs.statements)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_ports(1)[0]
    await web.TCPSite(runner, "127.0.0.1", port).start()
    lrs.url = f"http://127.0.0.1:{port}/xapi/"
    try:
        yield lrs
    finally:
        await runner.cleanup()


def admin(issuer: TestIssuer, district: District) -> dict[str, str]:
    return bearer(organiser(issuer, district))


async def attend(
    client: AsyncTestClient[Any], issuer: TestIssuer, district: District, session: Any, person: Person
) -> None:
    answer = await client.post(
        f"/api/training/sessions/{session.id}/attendance",
        json={"personId": str(person.id), "reason": "现场签到表"},
        headers=admin(issuer, district),
    )
    assert answer.status_code == 201, answer.text


async def statement_rows(district: District) -> list[XapiStatement]:
    async def read(db: AsyncSession) -> list[XapiStatement]:
        return list(await db.scalars(select(XapiStatement).order_by(XapiStatement.stored)))

    rows: list[XapiStatement] = await district.run(read)
    return rows


async def make_due(district: District) -> None:
    """The backoff has run out: the next attempt is moved into the past in the database (the clock stays)."""

    async def move(db: AsyncSession) -> None:
        await db.execute(update(XapiStatement).values(next_attempt_at=now() - timedelta(seconds=1)))

    await district.run(move)


async def test_an_admin_sets_the_lrs_and_the_password_is_sealed_and_never_shown(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    headers = admin(issuer, district_a)
    assert (await client.get(LRS, headers=headers)).status_code == 404  # none configured yet
    body = {"endpoint": "https://lrs.example.org/xapi", "username": "training", "password": PASSWORD}
    answer = await client.put(LRS, json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert PASSWORD not in answer.text
    shown = answer.json()
    assert shown["endpoint"] == "https://lrs.example.org/xapi/"
    assert (shown["username"], shown["passwordSet"], shown["enabled"], shown["unpushed"]) == ("training", True, True, 0)
    again = await client.get(LRS, headers=headers)
    assert again.json() == shown
    assert PASSWORD not in again.text

    async def sealed(db: AsyncSession) -> bytes:
        row = await db.scalar(select(LrsSettings))
        assert row is not None
        return row.password_cipher

    assert PASSWORD.encode() not in await district_a.run(sealed)
    kept = await client.put(LRS, json={"endpoint": body["endpoint"], "username": "training2"}, headers=headers)
    assert kept.status_code == 200, kept.text  # the password left out: the sealed one stays
    assert await district_a.run(sealed)
    assert (await client.get(LRS, headers=admin(issuer, district_b))).status_code == 404  # not B's
    street = bearer(issuer.token(tenant=district_a.id, roles=["street_admin"], scope="/x/"))
    assert (await client.get(LRS, headers=street)).status_code == 403


async def test_bad_lrs_settings_are_a_422_naming_the_field_and_nothing_is_stored(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    headers = admin(issuer, district_a)
    good = {"endpoint": "https://lrs.example.org/xapi/", "username": "training", "password": PASSWORD}
    cases = [
        ({**good, "endpoint": "lrs.example.org"}, "body.endpoint"),
        ({**good, "endpoint": "ftp://lrs.example.org/"}, "body.endpoint"),
        ({**good, "endpoint": "https://user:pw@lrs.example.org/xapi/"}, "body.endpoint"),
        ({**good, "username": "  "}, "body.username"),
        ({**good, "username": 42}, "body.username"),
        ({**good, "password": ""}, "body.password"),
        ({**good, "enabled": "true"}, "body.enabled"),
        ({k: v for k, v in good.items() if k != "password"}, "body.password"),  # none stored yet
        ({**good, "token": "x"}, "body.token"),
    ]
    for body, field_name in cases:
        answer = await client.put(LRS, json=body, headers=headers)
        assert answer.status_code == 422, (body, answer.text)
        assert field_name in [e["field"] for e in answer.json()["errors"]], (body, answer.text)
    assert (await client.get(LRS, headers=headers)).status_code == 404


async def test_statements_are_pushed_to_the_lrs_after_it_refused_the_first_attempt(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District, district_b: District
) -> None:
    session = await district_a.add_session("volunteer_pre_service")
    for name in ("甲", "乙"):
        await attend(client, issuer, district_a, session, await district_a.add_member(name))
    elsewhere = await district_b.add_session()
    await attend(client, issuer, district_b, elsewhere, await district_b.add_member())  # B has no LRS
    async with small_lrs(refuse=1) as lrs:
        body = {"endpoint": lrs.url, "username": "training", "password": PASSWORD}
        assert (await client.put(LRS, json=body, headers=admin(issuer, district_a))).status_code == 200
        await push_due(settings)
        assert lrs.requests == [4]  # two attendances, each attended and completed: one batch, refused
        rows = await statement_rows(district_a)
        assert {(row.attempts, row.pushed_at) for row in rows} == {(1, None)}
        assert all(row.last_error and row.last_error.startswith("HTTP 503") for row in rows)
        assert all(row.next_attempt_at > now() for row in rows)  # backing off
        shown = (await client.get(LRS, headers=admin(issuer, district_a))).json()
        assert (shown["unpushed"], shown["lastError"][:8]) == (4, "HTTP 503")
        await push_due(settings)
        assert lrs.requests == [4]  # not due yet: nothing sent
        await make_due(district_a)
        await push_due(settings)
        assert lrs.requests == [4, 4]
        assert set(lrs.stored) == {str(row.id) for row in rows}
        taken = next(iter(lrs.stored.values()))
        assert "stored" not in taken  # the LRS stores it itself
        assert "authority" not in taken
        rows = await statement_rows(district_a)
        assert all(row.pushed_at is not None and row.last_error is None and row.attempts == 2 for row in rows)
        await make_due(district_a)
        await push_due(settings)
        assert lrs.requests == [4, 4]  # pushed ones are not sent again
    [theirs] = await statement_rows(district_b)
    assert (theirs.attempts, theirs.pushed_at) == (0, None)


async def test_statements_go_in_batches_and_a_disabled_lrs_gets_nothing(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    session = await district_a.add_session()
    for name in ("甲", "乙", "丙", "丁", "戊"):
        await attend(client, issuer, district_a, session, await district_a.add_member(name))
    async with small_lrs() as lrs:
        body = {"endpoint": lrs.url, "username": "training", "password": PASSWORD, "enabled": False}
        assert (await client.put(LRS, json=body, headers=admin(issuer, district_a))).status_code == 200
        await push_due(settings, XapiSettings(push_batch=2))
        assert lrs.requests == []
        enabled = await client.put(LRS, json={**body, "enabled": True}, headers=admin(issuer, district_a))
        assert enabled.json()["unpushed"] == 5
        await push_due(settings, XapiSettings(push_batch=2))
        assert lrs.requests == [2, 2, 1]
        assert len(lrs.stored) == 5
    assert (await client.get(LRS, headers=admin(issuer, district_a))).json()["unpushed"] == 0
    assert all(uuid.UUID(statement_id) for statement_id in lrs.stored)
