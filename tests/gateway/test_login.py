"""Password login: tokens, no username oracle, lockout and unlock, district choice, platform operators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from argon2 import PasswordHasher
from litestar.testing import AsyncTestClient
from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.identity.services import MAX_FAILED_LOGINS, hash_password, password_hasher
from gateway.models import Tenant, UserAccount
from gateway.proxy.settings import ProxySettings
from gateway.tenants.services import add_membership
from shared.db.kernel import audit_event
from tests.gateway.support import (
    PASSWORD,
    District,
    bearer,
    is_problem,
    login,
    new_operator,
    new_user,
    tokens,
    unique,
    user_row,
)

Sessions = async_sessionmaker[AsyncSession]


def _comparable(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in {"request_id", "instance"}}


async def _audit_of(sessions: Sessions, user: UserAccount) -> list[Any]:
    async with sessions() as session:
        return list(
            (
                await session.execute(
                    select(audit_event).where(audit_event.c.subject_id == str(user.id)).order_by(audit_event.c.id)
                )
            ).all()
        )


async def test_login_returns_tokens_for_the_only_district(client: AsyncTestClient[Any], district_a: District) -> None:
    response = await login(client, district_a.admin)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["tokenType"] == "Bearer"
    assert body["tenant"] == district_a.slug
    assert body["expiresIn"] == 300
    assert len(body["refreshToken"]) >= 40
    claims = jwt.decode(body["accessToken"], options={"verify_signature": False})
    assert claims["tenant"] == str(district_a.id)
    assert claims["roles"] == ["district_admin"]
    assert claims["typ"] == "access"
    assert claims["scope"] is None
    me = await client.get("/auth/me", headers=bearer(body["accessToken"]))
    assert me.status_code == 200
    assert me.json() == {
        "userId": claims["sub"],
        "name": district_a.admin,  # shown by the username until an administrator gives a name
        "tenantId": str(district_a.id),
        "district": {"id": str(district_a.id), "slug": district_a.slug, "name": "unit-a district"},  # for top bars
        "roles": ["district_admin"],
        "scope": None,
    }


async def test_username_is_case_insensitive(client: AsyncTestClient[Any], district_a: District) -> None:
    assert (await login(client, district_a.admin.upper())).status_code == 200


async def test_wrong_password_and_unknown_user_look_alike(client: AsyncTestClient[Any], district_a: District) -> None:
    wrong = is_problem(await login(client, district_a.admin, "not-the-password"), 401)
    unknown = is_problem(await login(client, unique("nobody"), "not-the-password"), 401)
    assert _comparable(wrong) == _comparable(unknown)
    assert wrong["detail"] == "username or password is wrong"


async def test_five_failures_lock_the_account_until_the_window_passes(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    username = await new_user(system_sessions, district_a, "lockme", ["member"])
    wrong = is_problem(await login(client, username, "not-the-password"), 401)
    for _ in range(MAX_FAILED_LOGINS - 1):
        is_problem(await login(client, username, "not-the-password"), 401)
    locked = is_problem(await login(client, username), 401)  # the right password no longer helps
    assert _comparable(locked) == _comparable(wrong)
    user = await user_row(system_sessions, username)
    assert user.locked_until is not None

    actions = [row.action for row in await _audit_of(system_sessions, user)]
    assert actions.count("auth.login.failed") == MAX_FAILED_LOGINS
    assert "auth.user.locked" in actions
    assert actions[-1] == "auth.login.locked"
    for row in await _audit_of(system_sessions, user):
        assert PASSWORD not in str(tuple(row))
        assert "not-the-password" not in str(tuple(row))

    async with system_sessions() as session, session.begin():  # the 15 minutes pass
        await session.execute(
            update(UserAccount)
            .where(UserAccount.id == user.id)
            .values(locked_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert (await login(client, username)).status_code == 200
    assert (await user_row(system_sessions, username)).failed_logins == 0


async def test_a_success_resets_the_failure_count(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    username = await new_user(system_sessions, district_a, "forgetful", ["member"])
    for _ in range(MAX_FAILED_LOGINS - 1):
        is_problem(await login(client, username, "not-the-password"), 401)
    assert (await login(client, username)).status_code == 200
    for _ in range(MAX_FAILED_LOGINS - 1):
        is_problem(await login(client, username, "not-the-password"), 401)
    assert (await login(client, username)).status_code == 200


async def test_logins_are_audited_without_secrets(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    username = await new_user(system_sessions, district_a, "audited", ["member"])
    await login(client, username, "not-the-password")
    body = await tokens(client, username)
    user = await user_row(system_sessions, username)
    rows = await _audit_of(system_sessions, user)
    assert [r.action for r in rows][-2:] == ["auth.login.failed", "auth.login.succeeded"]
    assert rows[-1].tenant_id == district_a.id  # the district's auditors see its logins
    for row in rows:
        text = str(tuple(row))
        for secret in (PASSWORD, "not-the-password", body["accessToken"], body["refreshToken"]):
            assert secret not in text


async def test_an_outdated_password_hash_is_upgraded_at_login(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    username = await new_user(system_sessions, district_a, "oldhash", ["member"])
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    async with system_sessions() as session, session.begin():
        await session.execute(update(UserAccount).where(UserAccount.username == username).values(password_hash=weak))
    assert (await login(client, username)).status_code == 200
    upgraded = (await user_row(system_sessions, username)).password_hash
    assert upgraded != weak
    assert not password_hasher().check_needs_rehash(upgraded)  # the gateway's parameters now
    assert (await login(client, username)).status_code == 200


async def test_a_user_of_several_districts_names_one(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, district_b: District
) -> None:
    username = await new_user(system_sessions, district_a, "hotline", ["hotline_operator"])
    async with system_sessions() as session, session.begin():
        tenant_b = await session.get(Tenant, district_b.id)
        assert tenant_b is not None
        await add_membership(session, tenant_b, username, roles=["hotline_operator", "member"], scope=None)
    undecided = is_problem(await login(client, username), 422)
    assert undecided["errors"][0]["field"] == "body.tenant"
    chosen = await tokens(client, username, tenant=district_b.slug)
    assert chosen["tenant"] == district_b.slug
    claims = jwt.decode(chosen["accessToken"], options={"verify_signature": False})
    assert claims["tenant"] == str(district_b.id)
    assert sorted(claims["roles"]) == ["hotline_operator", "member"]
    # a district the user does not belong to is refused like a wrong password
    other = await new_user(system_sessions, district_a, "single", ["member"])
    assert is_problem(await login(client, other, tenant=district_b.slug), 401)["detail"] == (
        "username or password is wrong"
    )


async def test_a_platform_operator_gets_no_district(client: AsyncTestClient[Any], system_sessions: Sessions) -> None:
    operator = await new_operator(system_sessions)
    body = await tokens(client, operator)
    assert body["tenant"] is None
    claims = jwt.decode(body["accessToken"], options={"verify_signature": False})
    assert claims["tenant"] is None
    assert claims["roles"] == ["platform_operator"]
    me = (await client.get("/auth/me", headers=bearer(body["accessToken"]))).json()
    assert (me["tenantId"], me["district"]) == (None, None)


async def test_a_password_is_stored_only_as_an_argon2_hash(system_sessions: Sessions, district_a: District) -> None:
    user = await user_row(system_sessions, district_a.admin)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert hash_password(PASSWORD) != user.password_hash  # salted


def test_password_hashing_parameters_below_argon2s_floor_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDCELL_GATEWAY__PASSWORD_MEMORY_KIB", "1024")
    monkeypatch.setenv("REDCELL_GATEWAY__PASSWORD_TIME_COST", "0")
    with pytest.raises(ValidationError) as refused:
        ProxySettings()
    assert {error["loc"][0] for error in refused.value.errors()} == {"password_memory_kib", "password_time_cost"}
