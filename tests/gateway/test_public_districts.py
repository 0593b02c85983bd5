"""``GET /public/districts/{slug}``: what a resident's page needs to know of a district (id, code and name), without
a token, for active districts only, limited per client address except for the console's own calls."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.models import Tenant
from gateway.proxy.settings import ProxySettings
from shared.auth.frontend import HEADER, frontend_key
from shared.settings import RedisSettings, Settings
from tests.gateway.support import District, is_problem, provision

Sessions = async_sessionmaker[AsyncSession]
LIMIT = 3


async def test_an_active_district_is_found_by_its_code_without_a_token(
    client: AsyncTestClient[Any], district_a: District
) -> None:
    response = await client.get(f"/public/districts/{district_a.slug}")
    assert response.status_code == 200, response.text
    # id, code and name only: nothing of its region, status, administrators or users
    assert response.json() == {"id": str(district_a.id), "slug": district_a.slug, "name": "unit-a district"}
    assert response.headers["cache-control"] == "max-age=60, public"


async def test_an_unknown_malformed_suspended_or_retired_district_is_a_404(
    client: AsyncTestClient[Any], system_sessions: Sessions
) -> None:
    for slug in ("no-such-district", "Not_A_Slug", "x" * 80, "%2e%2e"):
        assert is_problem(await client.get(f"/public/districts/{slug}"), 404)["detail"] == "no such district"
    for status in ("suspended", "retired"):
        district = await provision(system_sessions, status)
        async with system_sessions() as session, session.begin():
            await session.execute(update(Tenant).where(Tenant.id == district.id).values(status=status))
        assert is_problem(await client.get(f"/public/districts/{district.slug}"), 404)["detail"] == "no such district"


async def test_the_lookup_is_listed_in_the_api_description(client: AsyncTestClient[Any]) -> None:
    operation = (await client.get("/schema/gateway/openapi.json")).json()["paths"]["/public/districts/{slug}"]["get"]
    assert operation["operationId"] == "GetPublicDistrict"
    assert "security" not in operation or operation["security"] in ([], [{}])


@pytest.fixture
async def limited(gateway_settings: Settings) -> AsyncIterator[AsyncTestClient[Any]]:
    """A gateway allowing 3 anonymous requests a minute per address, counting in a Redis database of its own
    (every in-process test client has the same address)."""
    url = gateway_settings.redis.url.rsplit("/", 1)[0] + "/11"
    async with Redis.from_url(url) as redis:
        await redis.flushdb()
    own = gateway_settings.model_copy(update={"redis": RedisSettings(url=url)})
    gateway = create_app(own, ProxySettings(upstreams={}, anonymous_rate_per_minute=LIMIT))
    async with AsyncTestClient(gateway) as client:
        yield client


async def test_lookups_are_limited_per_address_but_not_the_consoles_own(
    limited: AsyncTestClient[Any], gateway_settings: Settings, district_a: District
) -> None:
    path = f"/public/districts/{district_a.slug}"
    answers = [await limited.get(path) for _ in range(LIMIT + 2)]
    refused = [answer for answer in answers if answer.status_code == 429]
    assert refused, [a.status_code for a in answers]  # 3 a minute (one more if the minute turns meanwhile)
    assert is_problem(refused[0], 429)["detail"].startswith("too many requests from this address")
    key = frontend_key(gateway_settings.master_key_bytes())
    console = [(await limited.get(path, headers={HEADER: key})).status_code for _ in range(LIMIT * 3)]
    assert console == [200] * (LIMIT * 3)  # the console counted its residents where they arrived
    made_up = [(await limited.get(path, headers={HEADER: "0" * 64})).status_code for _ in range(LIMIT + 2)]
    assert 429 in made_up  # a made-up key is no key
