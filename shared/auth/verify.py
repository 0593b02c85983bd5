"""Verify gateway-issued JWTs against the gateway's JWKS, with key rotation.

Only asymmetric algorithms are accepted (never ``none`` or HMAC), issuer and audience must match,
and an unknown key id triggers one JWKS refresh (rate-limited) so rotated keys work at once.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import httpx
import jwt

from shared.auth.principal import Principal
from shared.settings import JwtSettings

ALGORITHMS = ["EdDSA", "ES256"]
_REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "jti"]


class InvalidTokenError(Exception):
    """The token is missing, malformed, expired, badly signed or not ours. Always a 401."""


JwksFetcher = Callable[[], Awaitable[dict[str, Any]]]


class JwksKeySource:
    """Public keys by ``kid``, fetched from the gateway's JWKS and refreshed on unknown ids."""

    def __init__(self, fetch: JwksFetcher, *, max_age_s: float = 300.0, min_refresh_interval_s: float = 5.0) -> None:
        self._fetch = fetch
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._max_age_s = max_age_s
        self._min_refresh_interval_s = min_refresh_interval_s
        self._lock = asyncio.Lock()

    @classmethod
    def from_url(cls, url: str, *, timeout_s: float = 3.0) -> JwksKeySource:
        async def fetch() -> dict[str, Any]:
            async with httpx.AsyncClient(timeout=timeout_s) as client:
                response = await client.get(url)
                response.raise_for_status()
                data: dict[str, Any] = response.json()
                return data

        return cls(fetch)

    async def _refresh(self) -> None:
        async with self._lock:
            if time.monotonic() - self._fetched_at < self._min_refresh_interval_s and self._keys:
                return
            jwks = await self._fetch()
            keys: dict[str, jwt.PyJWK] = {}
            for entry in jwks.get("keys", []):
                if entry.get("kid") and entry.get("alg") in ALGORITHMS:
                    keys[entry["kid"]] = jwt.PyJWK(entry)
            self._keys = keys
            self._fetched_at = time.monotonic()

    async def key(self, kid: str) -> jwt.PyJWK:
        stale = time.monotonic() - self._fetched_at > self._max_age_s
        if kid not in self._keys or stale:
            try:
                await self._refresh()
            except (httpx.HTTPError, ValueError) as exc:
                if kid not in self._keys:
                    msg = "signing keys are unavailable"
                    raise InvalidTokenError(msg) from exc
        found = self._keys.get(kid)
        if found is None:
            msg = "token signed with an unknown key"
            raise InvalidTokenError(msg)
        return found


class TokenVerifier:
    """Verifies tokens; a verified token is remembered until it expires, so a busy client's repeated
    requests skip the signature check (access tokens are short-lived and never revoked individually)."""

    def __init__(self, keys: JwksKeySource, settings: JwtSettings, cache_size: int = 10_000) -> None:
        self._keys = keys
        self._settings = settings
        self._cache: OrderedDict[str, tuple[float, Principal]] = OrderedDict()
        self._cache_size = cache_size

    async def verify(self, token: str) -> Principal:
        cached = self._cache.get(token)
        if cached is not None:
            expires_at, principal = cached
            if time.time() < expires_at:
                return principal
            del self._cache[token]
        principal, expires_at = await self._verify(token)
        self._cache[token] = (expires_at, principal)
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return principal

    async def _verify(self, token: str) -> tuple[Principal, float]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidTokenError("malformed token") from exc
        if header.get("alg") not in ALGORITHMS or not isinstance(header.get("kid"), str):
            msg = "token algorithm or key id not accepted"
            raise InvalidTokenError(msg)
        key = await self._keys.key(header["kid"])
        try:
            claims = jwt.decode(
                token,
                key=key.key,
                algorithms=[header["alg"]],
                audience=self._settings.audience,
                issuer=self._settings.issuer,
                leeway=self._settings.leeway_s,
                options={"require": _REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as exc:
            raise InvalidTokenError(str(exc)) from exc
        return principal_from_claims(claims), float(claims["exp"])


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    if claims.get("typ") != "access":
        msg = "not an access token"
        raise InvalidTokenError(msg)
    try:
        tenant = claims.get("tenant")
        roles = claims.get("roles", [])
        scope = claims.get("scope")
        name = claims.get("name")
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise TypeError("roles")
        if scope is not None and not isinstance(scope, str):
            raise TypeError("scope")
        if name is not None and not isinstance(name, str):
            raise TypeError("name")
        return Principal(
            user_id=UUID(str(claims["sub"])),
            tenant_id=UUID(tenant) if tenant else None,
            roles=frozenset(roles),
            scope=scope,
            token_id=str(claims["jti"]),
            name=name or None,
        )
    except (KeyError, ValueError, TypeError) as exc:
        msg = "token claims are malformed"
        raise InvalidTokenError(msg) from exc
