"""Tokens and logins through the running gateway: forged, expired and revoked credentials are refused."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import asyncpg
import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.identity.keys import KeyRing
from shared.db.engine import make_engine, make_sessionmaker
from shared.db.urls import admin_url, plain_dsn
from shared.settings import Settings
from tests.e2e.conftest import PASSWORD, RunningPlatform, auth, login, new_user


def gateway_key(settings: Settings) -> tuple[str, Ed25519PrivateKey]:
    async def load() -> tuple[str, Ed25519PrivateKey]:
        engine = make_engine(settings, "gateway", "system", pool_size=1)
        try:
            return await KeyRing(settings, make_sessionmaker(engine)).signing_key()
        finally:
            await engine.dispose()

    return asyncio.run(load())


def claims(settings: Settings, tenant_token: str, **overrides: Any) -> dict[str, Any]:
    real = jwt.decode(tenant_token, options={"verify_signature": False})
    now = int(time.time())
    return {**real, "iat": now, "exp": now + 300, "jti": uuid.uuid4().hex, **overrides}


def refused(platform: RunningPlatform, token: str) -> None:
    for base in (platform.gateway, platform.orgtree):  # the service checks again behind the gateway
        response = httpx.get(f"{base}/api/orgtree/nodes", headers=auth(token))
        assert response.status_code == 401, (base, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


def test_forged_expired_and_foreign_tokens_are_401(platform: RunningPlatform, settings: Settings) -> None:
    kid, key = gateway_key(settings)
    good = claims(settings, platform.a.token)
    assert (
        httpx.get(
            f"{platform.gateway}/api/orgtree/nodes", headers=auth(jwt.encode(good, key, "EdDSA", headers={"kid": kid}))
        ).status_code
        == 200
    )
    now = int(time.time())
    expired = jwt.encode({**good, "iat": now - 7200, "exp": now - 3600}, key, "EdDSA", headers={"kid": kid})
    refused(platform, expired)
    other_issuer = jwt.encode({**good, "iss": "someone-else"}, key, "EdDSA", headers={"kid": kid})
    refused(platform, other_issuer)
    foreign = jwt.encode(good, Ed25519PrivateKey.generate(), "EdDSA", headers={"kid": kid})
    refused(platform, foreign)
    unsigned = jwt.encode(good, None, "none", headers={"kid": kid})  # type: ignore[arg-type]
    refused(platform, unsigned)
    public_jwk = httpx.get(f"{platform.gateway}/.well-known/jwks.json").json()["keys"][0]
    hmac_with_public_key = jwt.encode(good, public_jwk["x"].encode(), "HS256", headers={"kid": kid})
    refused(platform, hmac_with_public_key)
    refused(platform, "not.a.token")


def test_refresh_rotates_and_a_revoked_refresh_token_is_401(platform: RunningPlatform) -> None:
    first = login(platform.gateway, platform.a.admin)
    rotated = httpx.post(f"{platform.gateway}/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert rotated.status_code == 200
    second = rotated.json()
    assert httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=auth(second["accessToken"])).status_code == 200
    # the rotated-away token is now revoked; presenting it again kills the whole family
    reuse = httpx.post(f"{platform.gateway}/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert reuse.status_code == 401
    family_dead = httpx.post(f"{platform.gateway}/auth/refresh", json={"refreshToken": second["refreshToken"]})
    assert family_dead.status_code == 401
    third = login(platform.gateway, platform.a.admin)
    assert (
        httpx.post(f"{platform.gateway}/auth/logout", json={"refreshToken": third["refreshToken"]}).status_code == 204
    )
    after_logout = httpx.post(f"{platform.gateway}/auth/refresh", json={"refreshToken": third["refreshToken"]})
    assert after_logout.status_code == 401


def test_wrong_password_lockout_and_unknown_user_look_alike(platform: RunningPlatform, settings: Settings) -> None:
    admin = platform.b.admin
    unknown = httpx.post(f"{platform.gateway}/auth/login", json={"username": "nobody-here", "password": "x" * 12})
    wrong = httpx.post(f"{platform.gateway}/auth/login", json={"username": admin, "password": "x" * 12})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json()["detail"] == wrong.json()["detail"]
    for _ in range(4):
        httpx.post(f"{platform.gateway}/auth/login", json={"username": admin, "password": "x" * 12})
    locked = httpx.post(f"{platform.gateway}/auth/login", json={"username": admin, "password": PASSWORD})
    assert locked.status_code == 401  # the right password no longer helps
    assert locked.json()["detail"] == wrong.json()["detail"]

    async def unlock() -> None:  # the lockout window passing, without waiting 15 minutes
        conn = await asyncpg.connect(plain_dsn(admin_url(settings, "redcell_gateway")))
        await conn.execute(
            "UPDATE user_account SET locked_until = now() - interval '1 second' WHERE username = $1", admin
        )
        await conn.close()

    asyncio.run(unlock())
    assert (
        httpx.post(f"{platform.gateway}/auth/login", json={"username": admin, "password": PASSWORD}).status_code == 200
    )


def test_street_admin_sees_only_the_street(platform: RunningPlatform) -> None:
    a = platform.a
    streets = []
    for name in ("瑶溪街道", "海城街道"):
        created = httpx.post(
            f"{platform.gateway}/api/orgtree/nodes",
            headers=auth(a.token),
            json={"parentId": a.root_id, "level": "street", "name": name},
        )
        assert created.status_code == 201, created.text
        streets.append(created.json())
    yaoxi, haicheng = streets
    username = new_user(platform.gateway, a.token, "yaoxi", ["street_admin"], scope=yaoxi["path"])
    street_token = login(platform.gateway, username)["accessToken"]
    get = lambda node: httpx.get(f"{platform.gateway}/api/orgtree/nodes/{node}", headers=auth(street_token))  # noqa: E731
    assert get(yaoxi["id"]).status_code == 200
    assert get(haicheng["id"]).status_code == 404
    assert get(a.root_id).status_code == 404
    # district B's administrator never sees district A's users
    users_b = httpx.get(f"{platform.gateway}/admin/users", headers=auth(platform.b.token)).json()
    users_a = httpx.get(f"{platform.gateway}/admin/users", headers=auth(a.token)).json()
    assert not {u["userId"] for u in users_a} & {u["userId"] for u in users_b}
    assert platform.b.admin in {u["username"] for u in users_b}


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (b'{"username": ', 400, None),
        (b'{"username": 5, "password": "x"}', 422, "username"),
        (b'{"password": "x"}', 422, "username"),
        (b'{"username": "a-user", "password": "x", "role": "admin"}', 422, "role"),
    ],
)
def test_bad_login_input_is_a_problem(platform: RunningPlatform, body: bytes, status: int, field: str | None) -> None:
    response = httpx.post(f"{platform.gateway}/auth/login", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    if field:
        assert field in response.json()["detail"]
