"""Access tokens verify against the published JWKS, forgeries do not; refresh tokens rotate and die as a family."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.models import RefreshToken
from shared.auth.verify import InvalidTokenError, JwksKeySource, TokenVerifier
from shared.settings import Settings
from tests.gateway.support import AppKeys, District, bearer, is_problem, tokens

Sessions = async_sessionmaker[AsyncSession]


def verifier_over_http(client: AsyncTestClient[Any], settings: Settings) -> TokenVerifier:
    """What a service does: fetch the gateway's JWKS over HTTP and verify locally."""

    async def fetch() -> dict[str, Any]:
        response = await client.get("/.well-known/jwks.json")
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    return TokenVerifier(JwksKeySource(fetch, min_refresh_interval_s=0), settings.jwt)


def _sha256(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256(claims: dict[str, Any], kid: str, secret: bytes) -> str:
    signing_input = (
        _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode()) + "." + _b64(json.dumps(claims).encode())
    )
    return signing_input + "." + _b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())


async def test_tokens_verify_and_forgeries_do_not(
    client: AsyncTestClient[Any], key_ring: AppKeys, district_a: District, gateway_settings: Settings
) -> None:
    verifier = verifier_over_http(client, gateway_settings)
    access = (await tokens(client, district_a.admin))["accessToken"]
    principal = await verifier.verify(access)
    assert principal.tenant_id == district_a.id
    assert principal.roles == frozenset({"district_admin"})

    kid, key = await key_ring.signing_key()
    jwks = (await client.get("/.well-known/jwks.json")).json()
    assert kid in {k["kid"] for k in jwks["keys"]}
    assert all("d" not in k for k in jwks["keys"])  # public halves only
    good = jwt.decode(access, options={"verify_signature": False})
    now = int(time.time())

    def forged(**changes: Any) -> dict[str, Any]:
        return {**good, "jti": uuid.uuid4().hex, **changes}

    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    attempts = {
        "expired": jwt.encode(forged(iat=now - 7200, exp=now - 3600), key, "EdDSA", headers={"kid": kid}),
        "foreign key, same kid": jwt.encode(forged(), Ed25519PrivateKey.generate(), "EdDSA", headers={"kid": kid}),
        "alg none": jwt.encode(forged(), None, "none", headers={"kid": kid}),  # type: ignore[arg-type]
        "HS256 keyed with the public key": _hs256(forged(), kid, public_pem),
        "HS256 keyed with the raw public key": _hs256(
            forged(), kid, base64.urlsafe_b64decode(jwks["keys"][0]["x"] + "==")
        ),
        "other issuer": jwt.encode(forged(iss="someone-else"), key, "EdDSA", headers={"kid": kid}),
        "other audience": jwt.encode(forged(aud="another-app"), key, "EdDSA", headers={"kid": kid}),
        "not an access token": jwt.encode(forged(typ="refresh"), key, "EdDSA", headers={"kid": kid}),
        "no kid": jwt.encode(forged(), key, "EdDSA"),
        "unknown kid": jwt.encode(forged(), key, "EdDSA", headers={"kid": "no-such-key"}),
        "tampered claims": access.split(".")[0]
        + "."
        + _b64(json.dumps(forged(tenant=str(uuid.uuid4()))).encode())
        + "."
        + access.split(".")[2],
        "garbage": "not.a.token",
    }
    control = jwt.encode(forged(), key, "EdDSA", headers={"kid": kid})  # the same recipe, done right, passes
    assert (await verifier.verify(control)).tenant_id == district_a.id
    refused = []
    for name, token in attempts.items():
        try:
            await verifier.verify(token)
        except InvalidTokenError:
            refused.append(name)
        # the gateway's own middleware refuses them too
        is_problem(await client.get("/auth/me", headers=bearer(token)), 401)
    assert refused == list(attempts)


async def test_refresh_rotates_and_reuse_kills_the_family(
    client: AsyncTestClient[Any], district_a: District, system_sessions: Sessions
) -> None:
    first = await tokens(client, district_a.admin)
    rotated = await client.post("/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()
    assert second["refreshToken"] != first["refreshToken"]
    assert second["tenant"] == district_a.slug
    assert (await client.get("/auth/me", headers=bearer(second["accessToken"]))).status_code == 200

    async with system_sessions() as session:
        old = await session.scalar(
            select(RefreshToken).where(
                RefreshToken.token_hash == hashlib.sha256(first["refreshToken"].encode()).digest()
            )
        )
        assert old is not None
        assert old.revoked_at is not None
        assert old.replaced_by is not None
        family = old.family_id

    # the rotated-away token comes back: someone copied it; the whole session ends
    is_problem(await client.post("/auth/refresh", json={"refreshToken": first["refreshToken"]}), 401)
    is_problem(await client.post("/auth/refresh", json={"refreshToken": second["refreshToken"]}), 401)
    async with system_sessions() as session:
        family_rows = list(await session.scalars(select(RefreshToken).where(RefreshToken.family_id == family)))
    assert len(family_rows) == 2
    assert all(r.revoked_at is not None for r in family_rows)


async def test_logout_ends_the_session(client: AsyncTestClient[Any], district_a: District) -> None:
    first = await tokens(client, district_a.admin)
    second = (await client.post("/auth/refresh", json={"refreshToken": first["refreshToken"]})).json()
    assert (await client.post("/auth/logout", json={"refreshToken": second["refreshToken"]})).status_code == 204
    is_problem(await client.post("/auth/refresh", json={"refreshToken": second["refreshToken"]}), 401)
    # logging out twice, or with a token never issued, is not an error and tells nothing
    assert (await client.post("/auth/logout", json={"refreshToken": second["refreshToken"]})).status_code == 204
    assert (await client.post("/auth/logout", json={"refreshToken": "x" * 43})).status_code == 204


async def test_an_expired_or_unknown_refresh_token_is_refused(
    client: AsyncTestClient[Any], district_a: District, system_sessions: Sessions
) -> None:
    is_problem(await client.post("/auth/refresh", json={"refreshToken": "y" * 43}), 401)
    issued = await tokens(client, district_a.admin)
    digest = _sha256(issued["refreshToken"])
    async with system_sessions() as session, session.begin():
        await session.execute(
            update(RefreshToken)
            .where(RefreshToken.token_hash == digest)
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    is_problem(await client.post("/auth/refresh", json={"refreshToken": issued["refreshToken"]}), 401)


async def test_a_refresh_token_is_stored_only_as_its_hash(
    client: AsyncTestClient[Any], district_a: District, system_sessions: Sessions
) -> None:
    issued = await tokens(client, district_a.admin)
    async with system_sessions() as session:
        stored = list(await session.scalars(select(RefreshToken.token_hash)))
    assert issued["refreshToken"].encode() not in stored
    assert _sha256(issued["refreshToken"]) in stored
