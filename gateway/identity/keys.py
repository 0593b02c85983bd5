"""Ed25519 signing keys and their rotation.

Life of a key: created (published in the JWKS at once) → activated (the latest activated key signs;
activation may be staged so every verifier holds the key before its first token) → superseded by a newer
key (still published, so tokens it signed keep verifying) → retired (no longer published or accepted).
Retire a superseded key only after the access-token lifetime has passed: ``retire_signing_keys`` does that.
"""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.identity.sealing import seal, unseal
from gateway.models import SigningKey
from shared.settings import Settings

_PURPOSE = "signing-key"
KEY_CACHE_S = 30.0  # how stale a gateway process's view of the keys may be
# A rotated key starts signing only after every gateway process has published it: otherwise a token from
# one process could reach another (or a service fetching its JWKS) that does not know the key yet.
PUBLISH_BEFORE_SIGNING = timedelta(seconds=2 * KEY_CACHE_S)


def _now() -> datetime:
    return datetime.now().astimezone()


async def rotate_signing_key(
    session: AsyncSession, settings: Settings, *, activate_at: datetime | None = None
) -> SigningKey:
    """Add a new signing key (active now, or from ``activate_at``); older keys keep verifying until retired."""
    private = Ed25519PrivateKey.generate()
    kid = f"{time.strftime('%Y%m%d')}-{secrets.token_hex(4)}"
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    jwk = jwt.algorithms.OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
    key = SigningKey(
        kid=kid,
        algorithm="EdDSA",
        private_key=seal(settings, _PURPOSE + kid, pem),  # the kid is bound in: a sealed key cannot be swapped
        public_jwk={**jwk, "kid": kid, "alg": "EdDSA", "use": "sig"},
        activated_at=activate_at or _now(),
    )
    session.add(key)
    await session.flush()
    return key


async def _unretired(session: AsyncSession, *, lock: bool = False) -> list[SigningKey]:
    """Unretired keys, oldest activation first (locked when about to retire some)."""
    query = (
        select(SigningKey)
        .where(SigningKey.retired_at.is_(None))
        .order_by(SigningKey.activated_at, SigningKey.created_at)
    )
    return list(await session.scalars(query.with_for_update() if lock else query))


def _signer(keys: list[SigningKey], now: datetime) -> SigningKey | None:
    active = [k for k in keys if k.activated_at <= now]
    return active[-1] if active else None


async def retire_signing_key(session: AsyncSession, kid: str) -> bool:
    """Stop publishing (and so accepting) one key. The key that signs now cannot be retired: rotate first."""
    keys = await _unretired(session, lock=True)
    signer = _signer(keys, _now())
    if signer is not None and signer.kid == kid:
        msg = "the newest active key is the one signing and cannot be retired; rotate first"
        raise ValueError(msg)
    for key in keys:
        if key.kid == kid:
            key.retired_at = _now()
            return True
    return False


async def retire_signing_keys(session: AsyncSession, older_than: timedelta) -> list[str]:
    """Retire every key that was superseded by a newer active key more than ``older_than`` ago.

    Pass at least the access-token lifetime plus leeway: no token a retired key signed is still valid then.
    Returns the retired key ids.
    """
    now = _now()
    active = [k for k in await _unretired(session, lock=True) if k.activated_at <= now]
    retired = []
    for key, successor in itertools.pairwise(active):
        if successor.activated_at <= now - older_than:
            key.retired_at = now
            retired.append(key.kid)
    await session.flush()
    return retired


@dataclass(frozen=True)
class _Loaded:
    kid: str
    private: Ed25519PrivateKey
    jwks: dict[str, Any]


class KeyRing:
    """In-process cache of the keys, refreshed from the database every ``max_age_s``.

    It is also the gateway's own JWKS source (``KeyRing.jwks`` as a ``JwksKeySource`` fetch function),
    so the gateway verifies its tokens without calling itself over HTTP.
    """

    def __init__(
        self, settings: Settings, sessions: async_sessionmaker[AsyncSession], max_age_s: float = KEY_CACHE_S
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.max_age_s = max_age_s
        self._loaded_at = 0.0
        self._loaded: _Loaded | None = None

    async def _load(self) -> _Loaded:
        async with self.sessions() as session, session.begin():
            keys = await _unretired(session)
            signer = _signer(keys, _now())
            if signer is None:  # a fresh database (or only staged keys): start with a key of our own
                signer = await rotate_signing_key(session, self.settings)
                keys.append(signer)
        pem = unseal(self.settings, _PURPOSE + signer.kid, signer.private_key)
        private = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(private, Ed25519PrivateKey):
            msg = f"signing key {signer.kid} is not Ed25519"
            raise TypeError(msg)
        self._loaded = _Loaded(signer.kid, private, {"keys": [k.public_jwk for k in keys]})
        self._loaded_at = time.monotonic()
        return self._loaded

    async def refresh(self) -> None:
        """Reload now (after a rotation in this process; other processes catch up within ``max_age_s``)."""
        await self._load()

    async def _fresh(self) -> _Loaded:
        if self._loaded is None or time.monotonic() - self._loaded_at > self.max_age_s:
            return await self._load()
        return self._loaded

    async def signing_key(self) -> tuple[str, Ed25519PrivateKey]:
        loaded = await self._fresh()
        return loaded.kid, loaded.private

    async def jwks(self) -> dict[str, Any]:
        return (await self._fresh()).jwks
