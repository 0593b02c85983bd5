"""Ed25519 signing keys: the newest unretired key signs; all unretired keys are published (rotation)."""

from __future__ import annotations

import secrets
import time
from datetime import datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.identity.sealing import seal, unseal
from gateway.models import SigningKey
from shared.settings import Settings

_PURPOSE = "signing-key"


async def rotate_signing_key(session: AsyncSession, settings: Settings) -> SigningKey:
    """Add a new signing key; older keys keep verifying until retired."""
    private = Ed25519PrivateKey.generate()
    kid = f"{time.strftime('%Y%m%d')}-{secrets.token_hex(4)}"
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    jwk = jwt.algorithms.OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
    key = SigningKey(
        kid=kid,
        algorithm="EdDSA",
        private_key=seal(settings, _PURPOSE + kid, pem),
        public_jwk={**jwk, "kid": kid, "alg": "EdDSA", "use": "sig"},
    )
    session.add(key)
    await session.flush()
    return key


async def retire_signing_key(session: AsyncSession, kid: str) -> bool:
    """Stop publishing (and so accepting) one key. The newest key cannot be retired: rotate first."""
    newest = await session.scalar(
        select(SigningKey.kid).where(SigningKey.retired_at.is_(None)).order_by(SigningKey.created_at.desc()).limit(1)
    )
    if kid == newest:
        msg = "the newest signing key cannot be retired; rotate first"
        raise ValueError(msg)
    result = await session.execute(
        update(SigningKey)
        .where(SigningKey.kid == kid, SigningKey.retired_at.is_(None))
        .values(retired_at=datetime.now().astimezone())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


class KeyRing:
    """In-process cache of the keys; refreshed from the database every ``max_age_s``."""

    def __init__(self, settings: Settings, sessions: async_sessionmaker[AsyncSession], max_age_s: float = 30) -> None:
        self.settings = settings
        self.sessions = sessions
        self.max_age_s = max_age_s
        self._loaded_at = 0.0
        self._signing: tuple[str, Ed25519PrivateKey] | None = None
        self._jwks: dict[str, Any] = {"keys": []}

    async def _load(self) -> None:
        async with self.sessions() as session, session.begin():
            keys = list(
                await session.scalars(
                    select(SigningKey).where(SigningKey.retired_at.is_(None)).order_by(SigningKey.created_at.desc())
                )
            )
            if not keys:
                keys = [await rotate_signing_key(session, self.settings)]
        newest = keys[0]
        pem = unseal(self.settings, _PURPOSE + newest.kid, newest.private_key)
        private = serialization.load_pem_private_key(pem, password=None)
        assert isinstance(private, Ed25519PrivateKey)
        self._signing = (newest.kid, private)
        self._jwks = {"keys": [k.public_jwk for k in keys]}
        self._loaded_at = time.monotonic()

    async def refresh(self) -> None:
        await self._load()

    async def _fresh(self) -> None:
        if time.monotonic() - self._loaded_at > self.max_age_s:
            await self._load()

    async def signing_key(self) -> tuple[str, Ed25519PrivateKey]:
        await self._fresh()
        assert self._signing is not None
        return self._signing

    async def jwks(self) -> dict[str, Any]:
        await self._fresh()
        return self._jwks
