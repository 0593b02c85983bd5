"""The gateway's own bodies are decoded strictly too (shared/http/decoding.py): a value of the wrong JSON type
is a 422 naming the field, and no account or membership is stored."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.models import Membership, UserAccount
from tests.gateway.support import PASSWORD, District, bearer, is_problem, tokens

Sessions = async_sessionmaker[AsyncSession]


async def _accounts(sessions: Sessions) -> tuple[int, int]:
    async with sessions() as session:
        users = await session.scalar(select(func.count()).select_from(UserAccount)) or 0
        memberships = await session.scalar(select(func.count()).select_from(Membership)) or 0
        return users, memberships


async def test_a_mistyped_user_field_is_named_and_stores_nothing(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    admin = bearer((await tokens(client, district_a.admin))["accessToken"])
    before = await _accounts(system_sessions)
    for field, value in (("displayName", 5), ("roles", "hotline_operator"), ("scope", False)):
        body = {"username": "strict-user", "password": PASSWORD, "roles": ["volunteer"], field: value}
        problem = is_problem(await client.post("/admin/users", json=body, headers=admin), 422)
        assert [e["field"] for e in problem["errors"]] == [f"body.{field}"], problem
        assert problem["errors"][0]["message"].startswith("Expected `")
    assert await _accounts(system_sessions) == before


async def test_a_one_time_code_sent_as_a_number_is_named(client: AsyncTestClient[Any]) -> None:
    body = {"username": "someone", "password": "long-enough-pw", "otp": 123456}
    problem = is_problem(await client.post("/auth/login", json=body), 422)
    assert problem["errors"] == [{"field": "body.otp", "message": "Expected `str | null`, got `int`"}]
