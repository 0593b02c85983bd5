"""Open311 clients' API keys: issued, listed and revoked by the district administrator; checked on each request
that needs one. A key is 32 random bytes after a fixed prefix; only its SHA-256 is kept (a key that long needs no
slow hash), with its first characters to tell keys apart. A missing, wrong or revoked key gets the same 403."""

from __future__ import annotations

import hashlib
import secrets
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.open311.formats import refused
from services.dispatch.open311.limits import KeyLimiter
from services.dispatch.open311.models import Open311Client
from services.dispatch.open311.schemas import ClientCreate
from services.dispatch.settings import get_dispatch_settings
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.http.problems import missing

KEY_PREFIX = "o311_"
SHOWN = 12  # characters of the key kept in clear: the prefix and 7 random ones


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def authenticate(session: AsyncSession, limiter: KeyLimiter, key: str | None, action: str) -> Open311Client:
    """The active client holding ``key`` in the district of this transaction, counted against its limit; the
    specification's 403 otherwise, and its 429 over the limit."""
    client = None
    if key and key.startswith(KEY_PREFIX) and len(key) <= 100:
        client = await session.scalar(
            select(Open311Client).where(Open311Client.key_hash == key_hash(key), Open311Client.revoked_at.is_(None))
        )
    if client is None:
        raise refused(403, f"api_key: invalid api_key received -- can't proceed with {action}")
    limit = get_dispatch_settings().open311_key_requests_per_minute
    wait = await limiter.over_limit(client.id, limit)
    if wait is not None:
        raise refused(429, f"api_key: more than {limit} requests a minute with this key", retry_after_s=wait)
    client.last_used_at = now()
    return client


class ClientKeyService:
    """The district's Open311 clients, for its administrator."""

    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def clients(self) -> list[Open311Client]:
        query = select(Open311Client).order_by(Open311Client.revoked_at.is_not(None), Open311Client.created_at.desc())
        return list(await self.session.scalars(query))

    async def issue(self, data: ClientCreate) -> tuple[Open311Client, str]:
        """A new client and its key (returned once)."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        client = Open311Client(
            name=data.name.strip(),
            contact=data.contact.strip(),
            key_hash=key_hash(key),
            key_prefix=key[:SHOWN],
            created_by=self.principal.user_id,
            created_at=now(),
        )
        self.session.add(client)
        await self.session.flush()
        await self._audit("dispatch.open311.key_issued", client)
        return client, key

    async def revoke(self, client_id: UUID) -> Open311Client:
        """The client's key stops answering now; revoking again changes nothing. Another district's id is a 404."""
        client = await self.session.scalar(select(Open311Client).where(Open311Client.id == client_id).with_for_update())
        if client is None:
            raise missing("Open311 client")
        if client.revoked_at is None:
            client.revoked_at, client.revoked_by = now(), self.principal.user_id
            await self._audit("dispatch.open311.key_revoked", client)
        return client

    async def _audit(self, action: str, client: Open311Client) -> None:
        await audit.record(
            self.session,
            action,
            subject_type="open311_client",
            subject_id=str(client.id),
            detail={"name": client.name, "keyPrefix": client.key_prefix},
        )
