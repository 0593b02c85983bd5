"""Signing-key rotation: old tokens verify until their key is retired; new tokens use the new key."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import jwt
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.identity.cli import keys_command
from gateway.identity.keys import retire_signing_key, retire_signing_keys, rotate_signing_key
from gateway.models import SigningKey
from shared.auth.verify import InvalidTokenError
from shared.settings import Settings
from tests.gateway.support import AppKeys, District, tokens
from tests.gateway.test_tokens import verifier_over_http

Sessions = async_sessionmaker[AsyncSession]


def _kid(token: str) -> str:
    kid: str = jwt.get_unverified_header(token)["kid"]
    return kid


async def _published(client: AsyncTestClient[Any]) -> set[str]:
    return {k["kid"] for k in (await client.get("/.well-known/jwks.json")).json()["keys"]}


async def test_rotation_and_retirement(
    client: AsyncTestClient[Any],
    key_ring: AppKeys,
    system_sessions: Sessions,
    district_a: District,
    gateway_settings: Settings,
) -> None:
    old_token = (await tokens(client, district_a.admin))["accessToken"]
    old_kid = _kid(old_token)
    async with system_sessions() as session, session.begin():
        new_kid = (await rotate_signing_key(session, gateway_settings)).kid
    await key_ring.refresh()  # other gateway processes pick it up within KeyRing.max_age_s

    new_token = (await tokens(client, district_a.admin))["accessToken"]
    assert _kid(new_token) == new_kid != old_kid
    assert {old_kid, new_kid} <= await _published(client)
    verifier = verifier_over_http(client, gateway_settings)
    assert (await verifier.verify(old_token)).tenant_id == district_a.id  # still valid after rotation
    assert (await verifier.verify(new_token)).tenant_id == district_a.id

    async with system_sessions() as session, session.begin():
        with pytest.raises(ValueError, match="rotate first"):
            await retire_signing_key(session, new_kid)
        # superseded only just now: a token of the old key may still be alive, so it stays
        assert await retire_signing_keys(session, timedelta(minutes=5)) == []
        assert old_kid in await retire_signing_keys(session, timedelta(0))
    await key_ring.refresh()
    assert old_kid not in await _published(client)
    assert new_kid in await _published(client)
    fresh = verifier_over_http(client, gateway_settings)
    with pytest.raises(InvalidTokenError):
        await fresh.verify(old_token)
    assert (await fresh.verify(new_token)).tenant_id == district_a.id


async def test_a_staged_key_is_published_before_it_signs(
    client: AsyncTestClient[Any],
    key_ring: AppKeys,
    system_sessions: Sessions,
    district_a: District,
    gateway_settings: Settings,
) -> None:
    signing_kid, _ = await key_ring.signing_key()
    later = datetime.now().astimezone() + timedelta(hours=1)
    async with system_sessions() as session, session.begin():
        staged = (await rotate_signing_key(session, gateway_settings, activate_at=later)).kid
    await key_ring.refresh()
    assert staged in await _published(client)  # verifiers learn it first
    assert _kid((await tokens(client, district_a.admin))["accessToken"]) == signing_kid
    async with system_sessions() as session, session.begin():
        assert await retire_signing_key(session, staged)  # a staged key may be withdrawn
    await key_ring.refresh()
    assert staged not in await _published(client)


async def test_the_keys_command(gateway_settings: Settings, system_sessions: Sessions) -> None:
    async with system_sessions() as session, session.begin():  # a clean slate: one active key
        previous = (await rotate_signing_key(session, gateway_settings)).kid
        await retire_signing_keys(session, timedelta(0))
    rotated = await keys_command(gateway_settings, "rotate", None)
    assert rotated[0].startswith("new signing key ")
    staged = rotated[0].split()[3].rstrip(":")
    listing = await keys_command(gateway_settings, "list", None)
    assert [line.split("\t")[0] for line in listing if line.endswith("\tactive")] == [previous]
    assert any(line.startswith(staged) and "staged until" in line for line in listing)

    async with system_sessions() as session, session.begin():  # the minute passes
        await session.execute(
            update(SigningKey).where(SigningKey.kid == staged).values(activated_at=datetime.now().astimezone())
        )
    assert (await keys_command(gateway_settings, "retire", staged)) == [
        "the newest active key is the one signing and cannot be retired; rotate first"
    ]
    # retiring without a key id withdraws only keys superseded longer ago than a token lives
    assert await keys_command(gateway_settings, "retire", None) == ["no key was superseded long enough ago"]
    async with system_sessions() as session, session.begin():  # an hour passes
        await session.execute(
            update(SigningKey)
            .where(SigningKey.retired_at.is_(None))
            .values(activated_at=SigningKey.activated_at - timedelta(hours=1))
        )
    assert await keys_command(gateway_settings, "retire", None) == [f"retired {previous}"]
    assert await keys_command(gateway_settings, "retire", previous) == [f"no unretired key {previous}"]
