"""Signing-key rotation and one-time codes for administrators."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import jwt
import pyotp
import pytest

from gateway.identity.keys import KeyRing, retire_signing_key, rotate_signing_key
from shared.auth.verify import InvalidTokenError, JwksKeySource, TokenVerifier
from shared.db.engine import make_engine, make_sessionmaker
from shared.settings import Settings
from tests.e2e.conftest import PASSWORD, RunningPlatform, auth, login, new_user


def test_rotated_keys_verify_until_retired(platform: RunningPlatform, settings: Settings) -> None:
    async def scenario() -> None:
        engine = make_engine(settings, "gateway", "system", pool_size=2)
        sessions = make_sessionmaker(engine)
        ring = KeyRing(settings, sessions)
        verifier = TokenVerifier(JwksKeySource(ring.jwks, min_refresh_interval_s=0), settings.jwt)
        try:
            async with sessions() as session, session.begin():  # a key of this test's own, then a newer one
                await rotate_signing_key(session, settings)
            await ring.refresh()
            old_kid, old_key = await ring.signing_key()
            claims = jwt.decode(platform.a.token, options={"verify_signature": False})
            old_token = jwt.encode({**claims, "jti": uuid.uuid4().hex}, old_key, "EdDSA", headers={"kid": old_kid})
            async with sessions() as session, session.begin():
                await rotate_signing_key(session, settings)
            await ring.refresh()
            new_kid, _ = await ring.signing_key()
            assert new_kid != old_kid
            assert {k["kid"] for k in (await ring.jwks())["keys"]} >= {old_kid, new_kid}
            assert (await verifier.verify(old_token)).tenant_id is not None  # still valid after rotation
            async with sessions() as session, session.begin():
                with pytest.raises(ValueError, match="newest"):
                    await retire_signing_key(session, new_kid)
                assert await retire_signing_key(session, old_kid)
            await ring.refresh()
            assert old_kid not in {k["kid"] for k in (await ring.jwks())["keys"]}
            fresh_verifier = TokenVerifier(JwksKeySource(ring.jwks), settings.jwt)
            with pytest.raises(InvalidTokenError):
                await fresh_verifier.verify(old_token)
        finally:
            await engine.dispose()

    asyncio.run(scenario())


def test_an_administrator_with_totp_needs_the_code(platform: RunningPlatform) -> None:
    username = new_user(platform.gateway, platform.b.token, "totp-admin", ["district_admin"])
    token = login(platform.gateway, username)["accessToken"]
    enrolled = httpx.post(f"{platform.gateway}/auth/totp/enroll", headers=auth(token))
    assert enrolled.status_code == 200
    totp = pyotp.parse_uri(enrolled.json()["provisioningUri"])
    wrong = httpx.post(f"{platform.gateway}/auth/totp/confirm", headers=auth(token), json={"otp": "000000"})
    assert wrong.status_code == 422
    confirmed = httpx.post(f"{platform.gateway}/auth/totp/confirm", headers=auth(token), json={"otp": totp.now()})
    assert confirmed.status_code == 204
    without = httpx.post(f"{platform.gateway}/auth/login", json={"username": username, "password": PASSWORD})
    assert without.status_code == 401
    assert without.json()["detail"] == "one-time code required"
    login(platform.gateway, username, otp=totp.now())
    # TOTP enrolment is for administrators only; a plain member is refused
    member = new_user(platform.gateway, platform.a.token, "member", ["member"])
    refused = httpx.post(
        f"{platform.gateway}/auth/totp/enroll", headers=auth(login(platform.gateway, member)["accessToken"])
    )
    assert refused.status_code == 403
