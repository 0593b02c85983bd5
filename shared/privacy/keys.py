"""Per-tenant data keys: random 256-bit keys stored wrapped (AES-GCM) by the master key, one row per version.

The highest version encrypts new values; every version still decrypts, because each ciphertext names
its version. Blind indexes use the lowest (first) version only: a lookup must find rows written
before and after a rotation, so rotating the index key would mean re-indexing every row.

Unwrapped keys are cached in-process (bounded, with a TTL so a rotation made by another process is
picked up). A key row created in a transaction that has not committed yet is never cached: if that
transaction rolled back, a cached key would encrypt values under a key that no longer exists.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import event, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from shared.context import current_tenant
from shared.db.kernel import tenant_data_key
from shared.privacy.errors import KeyScopeError, KeyUnwrapError, KeyVersionUnavailableError
from shared.settings import get_settings

KEY_BYTES = 32
NONCE_BYTES = 12
_WRAP_FORMAT = b"\x01"
_WRAP_AAD = b"redcell/tenant-data-key/v1"
_ENC_INFO = b"redcell/pii/encrypt/v1"
_INDEX_INFO = b"redcell/pii/blind-index/v1"

CACHE_MAX_TENANTS = 1024
CACHE_TTL_S = 300.0
_PENDING = "redcell_privacy_uncommitted_keys"


@dataclass(frozen=True, slots=True, repr=False)
class TenantKeys:
    """One tenant's derived keys: an AES-GCM key per version and the blind-index HMAC key."""

    tenant_id: UUID
    version: int  # encrypts new values
    _ciphers: Mapping[int, AESGCM] = field(compare=False)
    _index_key: bytes = field(compare=False)

    @classmethod
    def derive(cls, tenant_id: UUID, data_keys: Mapping[int, bytes]) -> TenantKeys:
        """Separate keys per purpose (HKDF, salted with the tenant id), so no raw data key is used twice."""
        if not data_keys:
            msg = "a tenant needs at least one data key"
            raise ValueError(msg)
        ciphers = {v: AESGCM(_hkdf(k, tenant_id, _ENC_INFO + v.to_bytes(4, "big"))) for v, k in data_keys.items()}
        index_key = _hkdf(data_keys[min(data_keys)], tenant_id, _INDEX_INFO)
        return cls(tenant_id, max(data_keys), ciphers, index_key)

    @property
    def versions(self) -> tuple[int, ...]:
        return tuple(sorted(self._ciphers))

    def cipher(self, version: int) -> AESGCM:
        try:
            return self._ciphers[version]
        except KeyError:
            raise KeyVersionUnavailableError(version) from None

    @property
    def index_key(self) -> bytes:
        return self._index_key

    def __repr__(self) -> str:  # never print key material
        return f"TenantKeys(tenant_id={self.tenant_id}, version={self.version}, versions={self.versions})"


def _hkdf(key: bytes, tenant_id: UUID, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=tenant_id.bytes, info=info).derive(key)


def _wrap_aad(tenant_id: UUID, version: int) -> bytes:
    # Binding tenant and version means a wrapped key copied to another tenant's row (or version) is useless.
    return _WRAP_AAD + tenant_id.bytes + version.to_bytes(4, "big")


def wrap_key(master_key: bytes, tenant_id: UUID, version: int, data_key: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return _WRAP_FORMAT + nonce + AESGCM(master_key).encrypt(nonce, data_key, _wrap_aad(tenant_id, version))


def unwrap_key(master_key: bytes, tenant_id: UUID, version: int, wrapped: bytes) -> bytes:
    if wrapped[:1] != _WRAP_FORMAT or len(wrapped) < 1 + NONCE_BYTES + KEY_BYTES + 16:
        msg = f"data key version {version} has an unknown format"
        raise KeyUnwrapError(msg)
    nonce, body = wrapped[1 : 1 + NONCE_BYTES], wrapped[1 + NONCE_BYTES :]
    try:
        return AESGCM(master_key).decrypt(nonce, body, _wrap_aad(tenant_id, version))
    except InvalidTag:
        msg = f"data key version {version} does not unwrap under this master key"
        raise KeyUnwrapError(msg) from None


class _KeyCache:
    """Bounded LRU of unwrapped keys with a TTL; locked because worker threads may share a process."""

    def __init__(self, max_entries: int, ttl_s: float) -> None:
        self._entries: OrderedDict[tuple[bytes, UUID], tuple[float, TenantKeys]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self.ttl_s = ttl_s

    def get(self, kek_id: bytes, tenant_id: UUID) -> TenantKeys | None:
        with self._lock:
            entry = self._entries.get((kek_id, tenant_id))
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._entries[(kek_id, tenant_id)]
                return None
            self._entries.move_to_end((kek_id, tenant_id))
            return entry[1]

    def put(self, kek_id: bytes, keys: TenantKeys) -> None:
        with self._lock:
            self._entries[(kek_id, keys.tenant_id)] = (time.monotonic() + self.ttl_s, keys)
            self._entries.move_to_end((kek_id, keys.tenant_id))
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def discard(self, tenant_id: UUID) -> None:
        with self._lock:
            for entry_key in [k for k in self._entries if k[1] == tenant_id]:
                del self._entries[entry_key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


_cache = _KeyCache(CACHE_MAX_TENANTS, CACHE_TTL_S)


def clear_key_cache() -> None:
    """Forget every unwrapped key in this process (tests; after a master-key change)."""
    _cache.clear()


def _kek_id(master_key: bytes) -> bytes:
    # Cache entries are keyed by a fingerprint of the master key, never by the key itself.
    return hashlib.sha256(b"redcell/kek-id" + master_key).digest()[:16]


def _forget_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


_hook_installed = False


def _install_hook() -> None:
    global _hook_installed  # noqa: PLW0603 - one process-wide listener, registered once
    if not _hook_installed:
        event.listen(Session, "after_transaction_end", _forget_uncommitted)
        _hook_installed = True


def _mark_uncommitted(session: AsyncSession, tenant_id: UUID) -> None:
    _install_hook()
    pending: set[UUID] = session.sync_session.info.setdefault(_PENDING, set())
    pending.add(tenant_id)


def _has_uncommitted(session: AsyncSession, tenant_id: UUID) -> bool:
    pending: set[UUID] = session.sync_session.info.get(_PENDING, set())
    return tenant_id in pending


def _check_scope(tenant_id: UUID) -> None:
    # The cache would otherwise hand out tenant A's keys to code working for tenant B without RLS
    # ever being asked; requiring the bound tenant keeps the database's rule in force.
    bound = current_tenant.get()
    if bound != tenant_id:
        msg = "a tenant's data keys are available only inside that tenant's scope"
        raise KeyScopeError(msg)


async def _load_rows(session: AsyncSession, tenant_id: UUID) -> Sequence[Any]:
    result = await session.execute(
        select(tenant_data_key.c.version, tenant_data_key.c.wrapped_key)
        .where(tenant_data_key.c.tenant_id == tenant_id)
        .order_by(tenant_data_key.c.version)
    )
    return result.all()


async def _insert_version(session: AsyncSession, tenant_id: UUID, version: int, master_key: bytes) -> None:
    """Race-safe: a concurrent writer of the same version wins, and we read its row afterwards."""
    wrapped = wrap_key(master_key, tenant_id, version, AESGCM.generate_key(bit_length=256))
    result = await session.execute(
        insert(tenant_data_key)
        .values(tenant_id=tenant_id, version=version, wrapped_key=wrapped)
        .on_conflict_do_nothing(index_elements=["tenant_id", "version"])
        .returning(tenant_data_key.c.version)
    )
    if result.first() is not None:
        _mark_uncommitted(session, tenant_id)


def _unwrap_all(master_key: bytes, tenant_id: UUID, rows: Sequence[Any]) -> TenantKeys:
    return TenantKeys.derive(
        tenant_id, {row.version: unwrap_key(master_key, tenant_id, row.version, row.wrapped_key) for row in rows}
    )


async def data_key(
    session: AsyncSession, tenant_id: UUID, *, refresh: bool = False, master_key: bytes | None = None
) -> TenantKeys:
    """The tenant's keys, created on first use. ``refresh`` skips the cache (a newer version exists elsewhere).

    Must run inside ``tenant_scope(tenant_id)``: the rows are tenant-owned and RLS applies. In a
    REPEATABLE READ transaction the re-read after a lost creation race cannot see the winner's row;
    use the default READ COMMITTED.
    """
    _check_scope(tenant_id)
    kek = master_key if master_key is not None else get_settings().master_key_bytes()
    # each service's database holds its own keys for a tenant: a process that opens two (the demo loader) must not
    # take one database's keys from the cache for the other's values
    database = session.sync_session.get_bind().engine.url.database
    kek_id = _kek_id(kek) + b"@" + str(database).encode()
    if not refresh and (cached := _cache.get(kek_id, tenant_id)) is not None:
        return cached
    rows = await _load_rows(session, tenant_id)
    if not rows:
        await _insert_version(session, tenant_id, 1, kek)
        rows = await _load_rows(session, tenant_id)
    keys = _unwrap_all(kek, tenant_id, rows)
    if not _has_uncommitted(session, tenant_id):
        _cache.put(kek_id, keys)
    return keys


async def rotate_data_key(session: AsyncSession, tenant_id: UUID, *, master_key: bytes | None = None) -> TenantKeys:
    """Add a new key version; new values use it, old ones keep decrypting. Concurrent rotations yield one version."""
    _check_scope(tenant_id)
    kek = master_key if master_key is not None else get_settings().master_key_bytes()
    current = await session.scalar(
        select(func.max(tenant_data_key.c.version)).where(tenant_data_key.c.tenant_id == tenant_id)
    )
    await _insert_version(session, tenant_id, int(current or 0) + 1, kek)
    _cache.discard(tenant_id)
    return _unwrap_all(kek, tenant_id, await _load_rows(session, tenant_id))
