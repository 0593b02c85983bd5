"""Who is signed in, and their tokens, kept server-side.

The browser holds only the session cookie (Litestar's server-side session in Redis). The session names the
user and the district; the token pair lives beside it in the same store under a random key, because several
requests of one browser (a page, its htmx parts, the live stream) may renew it at once: renewal takes a
Redis lock and re-reads the pair, so a refresh token is rotated exactly once (a rotated one presented again
would end the whole sign-in, gateway/identity/services.py).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from redis.asyncio import Redis

SESSION_COOKIE = "redcell_console"
RENEW_BEFORE_S = 60  # renew an access token this long before it expires
_LOCK_S = 10
_FRESH_ID = "redcell.console.session_id"


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The signed-in user as the session holds them."""

    username: str
    district: str | None  # the district's slug (None: the platform operator)
    district_name: str
    roles: tuple[str, ...]
    key: str  # where the token pair is kept

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def to_session(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> SignedIn | None:
        user = data.get("user")
        if not isinstance(user, dict):
            return None
        return cls(**{**user, "roles": tuple(user["roles"])})


@dataclass(frozen=True, slots=True)
class TokenPair:
    access: str
    refresh: str
    expires_at: float  # epoch seconds

    @classmethod
    def issued(cls, answer: dict[str, Any]) -> TokenPair:
        return cls(answer["accessToken"], answer["refreshToken"], time.time() + int(answer["expiresIn"]))


class SignedOutError(Exception):
    """The session is gone or its refresh token no longer works: sign in again."""


class TokenStore:
    """Token pairs by key in Redis (prefixed), living as long as the session."""

    def __init__(self, redis: Redis, prefix: str, lifetime_s: int) -> None:
        self.redis = redis
        self.prefix = prefix
        self.lifetime_s = lifetime_s

    async def save(self, key: str, pair: TokenPair) -> None:
        await self.redis.set(f"{self.prefix}tokens:{key}", json.dumps(asdict(pair)), ex=self.lifetime_s)

    async def load(self, key: str) -> TokenPair | None:
        raw = await self.redis.get(f"{self.prefix}tokens:{key}")
        return TokenPair(**json.loads(raw)) if raw else None

    async def drop(self, key: str) -> TokenPair | None:
        pair = await self.load(key)
        await self.redis.delete(f"{self.prefix}tokens:{key}")
        return pair

    async def access(
        self, key: str, renew: Callable[[str], Awaitable[TokenPair]], *, force: bool = False, stale: str = ""
    ) -> str:
        """A valid access token for ``key``, renewed first when it expires soon (or ``force``, when the API
        refused ``stale``, the token it was given)."""
        pair = await self.load(key)
        if pair is None:
            raise SignedOutError
        if not self._due(pair, force, stale):
            return pair.access
        lock = self.redis.lock(f"{self.prefix}renewing:{key}", timeout=_LOCK_S, blocking_timeout=_LOCK_S)
        if not await lock.acquire():
            raise SignedOutError
        try:
            pair = await self.load(key)  # another request may have renewed it while this one waited
            if pair is None:
                raise SignedOutError
            if not self._due(pair, force, stale):
                return pair.access
            renewed = await renew(pair.refresh)
            await self.save(key, renewed)
            return renewed.access
        finally:
            await lock.release()

    @staticmethod
    def _due(pair: TokenPair, force: bool, stale: str) -> bool:
        if force and pair.access == stale:
            return True
        return pair.expires_at - time.time() < RENEW_BEFORE_S


def new_key() -> str:
    return secrets.token_urlsafe(24)


class _Backend(ServerSideSessionBackend):
    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        fresh = connection.scope.get(_FRESH_ID)
        return str(fresh) if fresh else super().get_session_id(connection)


class SessionConfig(ServerSideSessionConfig):
    """Litestar's server-side sessions, with a new id at sign-in: an id planted before it is worth nothing."""

    _backend_class = _Backend


async def start_new_session(connection: ASGIConnection[Any, Any, Any, Any], config: ServerSideSessionConfig) -> None:
    """Forget the session the browser had (its stored data too) and give the signed-in one a new id."""
    old = connection.cookies.get(config.key)
    if old and old != "null":
        await config.get_store_from_app(connection.app).delete(old)
    connection.scope[_FRESH_ID] = secrets.token_hex(config.session_id_bytes)  # type: ignore[literal-required]
