"""One-time codes for administrators: enrolment, confirmation, required at login, no replay, sealed at rest."""

from __future__ import annotations

import time
from typing import Any

import pyotp
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.identity.sealing import unseal
from gateway.identity.services import MAX_FAILED_LOGINS
from shared.settings import Settings
from tests.gateway.support import District, bearer, is_problem, login, new_user, tokens, user_row

Sessions = async_sessionmaker[AsyncSession]


async def _enrolled(client: AsyncTestClient[Any], sessions: Sessions, district: District) -> tuple[str, pyotp.TOTP]:
    username = await new_user(sessions, district, "totp-admin", ["district_admin"])
    access = (await tokens(client, username))["accessToken"]
    enrolled = await client.post("/auth/totp/enroll", headers=bearer(access))
    assert enrolled.status_code == 200, enrolled.text
    uri = enrolled.json()["provisioningUri"]
    assert uri.startswith("otpauth://totp/Redcell:")
    totp = pyotp.parse_uri(uri)
    assert isinstance(totp, pyotp.TOTP)
    wrong = is_problem(await client.post("/auth/totp/confirm", headers=bearer(access), json={"otp": "000000"}), 422)
    assert wrong["errors"][0]["field"] == "body.otp"
    confirmed = await client.post("/auth/totp/confirm", headers=bearer(access), json={"otp": totp.now()})
    assert confirmed.status_code == 204, confirmed.text
    again = await client.post("/auth/totp/enroll", headers=bearer(access))
    is_problem(again, 409)  # a stolen access token cannot swap the second factor
    return username, totp


def _next_code(totp: pyotp.TOTP) -> str:
    return totp.at(time.time() + totp.interval)  # the next time step: within the accepted drift


async def test_an_enrolled_administrator_needs_the_code(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    username, totp = await _enrolled(client, system_sessions, district_a)
    assert is_problem(await login(client, username), 401)["detail"] == "one-time code required"
    assert is_problem(await login(client, username, otp="123456"), 401)["detail"] == "one-time code is wrong"
    code = _next_code(totp)
    assert (await login(client, username, otp=code)).status_code == 200
    # a code is good once: the same code seen over a shoulder is refused
    assert is_problem(await login(client, username, otp=code), 401)["detail"] == "one-time code is wrong"


async def test_a_wrong_password_with_a_code_is_just_a_wrong_password(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    username, totp = await _enrolled(client, system_sessions, district_a)
    refused = is_problem(await login(client, username, "not-the-password", otp=_next_code(totp)), 401)
    assert refused["detail"] == "username or password is wrong"


async def test_guessing_codes_locks_the_account(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    username, totp = await _enrolled(client, system_sessions, district_a)
    for _ in range(MAX_FAILED_LOGINS):
        is_problem(await login(client, username, otp="000001"), 401)
    locked = is_problem(await login(client, username, otp=_next_code(totp)), 401)
    assert locked["detail"] == "username or password is wrong"


async def test_the_seed_is_sealed_with_the_master_key(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District, gateway_settings: Settings
) -> None:
    username, totp = await _enrolled(client, system_sessions, district_a)
    user = await user_row(system_sessions, username)
    assert user.totp_enabled
    assert user.totp_secret is not None
    assert totp.secret.encode() not in user.totp_secret
    assert unseal(gateway_settings, f"totp:{user.id}", user.totp_secret).decode() == totp.secret


async def test_only_administrators_enrol(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    member = await new_user(system_sessions, district_a, "member", ["member"])
    access = (await tokens(client, member))["accessToken"]
    is_problem(await client.post("/auth/totp/enroll", headers=bearer(access)), 403)
    is_problem(await client.post("/auth/totp/enroll"), 401)


async def test_the_confirming_code_may_open_the_first_login_once(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    username, totp = await _enrolled(client, system_sessions, district_a)
    code = totp.now()  # usually the very code that confirmed enrolment a moment ago
    first = await login(client, username, otp=code)
    assert first.status_code == 200, first.text
    assert is_problem(await login(client, username, otp=code), 401)["detail"] == "one-time code is wrong"
