"""Bad input is a 4xx problem+json naming the field, and nothing is stored."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.models import Membership, RefreshToken, Tenant, UserAccount
from tests.gateway.support import PASSWORD, District, bearer, is_problem, new_operator, tokens

Sessions = async_sessionmaker[AsyncSession]


class Case(NamedTuple):
    path: str
    body: str
    status: int
    field: str | None  # the field the problem must name


def login(**fields: Any) -> str:
    return json.dumps({"username": "someone", "password": "long-enough-pw", **fields})


def district(**fields: Any) -> str:
    return json.dumps({"slug": "fine-slug", "name": "x", **fields})


def user(**fields: Any) -> str:
    return json.dumps({"username": "new-user", "password": PASSWORD, "roles": ["member"], **fields})


CASES = [
    Case("/auth/login", '{"username": ', 400, None),
    Case("/auth/login", login(username=5), 422, "username"),
    Case("/auth/login", '{"password": "long-enough-pw"}', 422, "username"),
    Case("/auth/login", login(role="admin"), 422, "role"),
    Case("/auth/login", login(otp="12ab56"), 422, "otp"),
    Case("/auth/login", login(tenant="Not A Slug"), 422, "tenant"),
    Case("/auth/login", login(username="u" * 81), 422, "username"),
    Case("/auth/login", login(password="p" * 257), 422, "password"),
    Case("/auth/login", '["username", "password"]', 422, None),
    Case("/auth/login", login(password="p" * 2_000_000), 413, None),  # over the 1 MiB body limit
    Case("/auth/refresh", '{"refreshToken": "short"}', 422, "refreshToken"),
    Case("/auth/refresh", json.dumps({"refresh_token": "x" * 43}), 422, "refresh_token"),
    Case("/platform/tenants", district(slug="Bad Slug"), 422, "slug"),
    Case("/platform/tenants", district(name=""), 422, "name"),
    Case("/platform/tenants", '{"slug": "fine-slug"}', 422, "name"),
    Case("/platform/tenants", district(owner="me"), 422, "owner"),
    Case("/platform/tenants", district(parentRegion=7), 422, "parentRegion"),
    Case("/platform/tenants", district(adminUsername="fine-admin"), 422, "adminPassword"),
    Case("/platform/tenants", district(adminUsername="fine-admin", adminPassword="short"), 422, "adminPassword"),
    Case("/platform/tenants", district(adminPassword=PASSWORD), 422, "adminUsername"),
    Case("/admin/users", user(roles=[]), 422, "roles"),
    Case("/admin/users", user(roles=["emperor"]), 422, "roles"),
    Case("/admin/users", user(roles="member"), 422, "roles"),
    Case("/admin/users", user(password="short"), 422, "password"),
    Case("/admin/users", user(username="new user"), 422, "username"),
    Case("/admin/users", user(scope="not-a-path"), 422, "scope"),
    Case("/admin/users", user(tenantId="00000000-0000-0000-0000-000000000000"), 422, "tenantId"),
]


async def _counts(sessions: Sessions) -> tuple[int, ...]:
    async with sessions() as session:
        tables = (Tenant, UserAccount, Membership, RefreshToken)
        return tuple([await session.scalar(select(func.count()).select_from(t)) or 0 for t in tables])


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.path}:{c.field or c.status}")
async def test_bad_input_is_a_problem_and_stores_nothing(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, case: Case
) -> None:
    headers = {"content-type": "application/json"}
    if case.path.startswith("/platform/"):
        headers |= bearer((await tokens(client, await new_operator(system_sessions)))["accessToken"])
    elif case.path.startswith("/admin/"):
        headers |= bearer((await tokens(client, district_a.admin))["accessToken"])
    before = await _counts(system_sessions)
    problem = is_problem(await client.post(case.path, content=case.body.encode(), headers=headers), case.status)
    if case.field is not None:
        assert any(case.field in e["field"] for e in problem.get("errors", [])), problem
    assert await _counts(system_sessions) == before
