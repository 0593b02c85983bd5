"""Display names: set when a district administrator adds a user (the username otherwise), carried in the access
token's ``name`` so every service can write it beside the user id; and the hotline supervisor role."""

from __future__ import annotations

from typing import Any

import jwt
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.models import UserAccount
from shared.auth.verify import principal_from_claims
from tests.gateway.support import PASSWORD, District, bearer, is_problem, tokens, unique

Sessions = async_sessionmaker[AsyncSession]


def claims_of(access_token: str) -> dict[str, Any]:
    found: dict[str, Any] = jwt.decode(access_token, options={"verify_signature": False})
    return found


async def test_an_admin_names_a_new_user_and_the_token_carries_the_name(
    client: AsyncTestClient[Any], district_a: District
) -> None:
    admin = bearer((await tokens(client, district_a.admin))["accessToken"])
    username = unique("chief")
    added = await client.post(
        "/admin/users",
        headers=admin,
        json={
            "username": username,
            "password": PASSWORD,
            "roles": ["hotline_supervisor"],
            "displayName": " 赵敏 ",
        },
    )
    assert added.status_code == 201, added.text
    assert (added.json()["displayName"], added.json()["roles"]) == ("赵敏", ["hotline_supervisor"])

    issued = await tokens(client, username)
    claims = claims_of(issued["accessToken"])
    assert (claims["name"], claims["roles"]) == ("赵敏", ["hotline_supervisor"])
    assert principal_from_claims(claims).name == "赵敏"
    me = (await client.get("/auth/me", headers=bearer(issued["accessToken"]))).json()
    assert (me["name"], me["roles"]) == ("赵敏", ["hotline_supervisor"])
    renewed = (await client.post("/auth/refresh", json={"refreshToken": issued["refreshToken"]})).json()
    assert claims_of(renewed["accessToken"])["name"] == "赵敏"
    listed = (await client.get("/admin/users", headers=admin)).json()
    assert {u["username"]: u["displayName"] for u in listed}[username] == "赵敏"


async def test_without_a_display_name_a_user_is_shown_by_the_username(
    client: AsyncTestClient[Any], district_a: District, system_sessions: Sessions
) -> None:
    admin = bearer((await tokens(client, district_a.admin))["accessToken"])
    username = unique("desk")
    added = await client.post(
        "/admin/users", headers=admin, json={"username": username, "password": PASSWORD, "roles": ["hotline_operator"]}
    )
    assert added.status_code == 201, added.text
    assert added.json()["displayName"] == username
    assert claims_of((await tokens(client, username))["accessToken"])["name"] == username
    async with system_sessions() as session:
        user = await session.scalar(select(UserAccount).where(UserAccount.username == username))
        assert user is not None
        assert user.display_name == username


async def test_a_blank_or_mistyped_display_name_is_refused_and_nothing_is_stored(
    client: AsyncTestClient[Any], district_a: District, system_sessions: Sessions
) -> None:
    admin = bearer((await tokens(client, district_a.admin))["accessToken"])
    username = unique("blank")
    for value in ("   ", "", 7, "名" * 81):
        body = {"username": username, "password": PASSWORD, "roles": ["hotline_operator"], "displayName": value}
        refused = is_problem(await client.post("/admin/users", headers=admin, json=body), 422)
        assert [e["field"] for e in refused["errors"]] == ["body.displayName"], (value, refused)
    unknown = {"username": username, "password": PASSWORD, "roles": ["hotline_boss"]}
    assert is_problem(await client.post("/admin/users", headers=admin, json=unknown), 422)["errors"] == [
        {"field": "body.roles", "message": "hotline_boss"}
    ]
    async with system_sessions() as session:
        assert await session.scalar(select(UserAccount).where(UserAccount.username == username)) is None
