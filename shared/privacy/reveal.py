"""Showing a protected value in clear: only for a stated purpose, and never without an audit entry."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from shared import audit
from shared.context import current_tenant
from shared.privacy.cipher import decrypt
from shared.privacy.errors import KeyScopeError, KeyVersionUnavailableError, PurposeRequiredError
from shared.privacy.keys import TenantKeys, data_key

REVEALED = "personal_data.revealed"
_PURPOSE_MIN_CHARS = 2


async def reveal(
    session: AsyncSession,
    keys: TenantKeys,
    field: str,
    ciphertext: bytes,
    *,
    purpose: str,
    subject_type: str,
    subject_id: str | UUID,
) -> str:
    """Decrypt ``field`` of one subject and record who saw it and why, in the caller's transaction.

    The audit row commits with the caller's transaction; if that rolls back, the caller must not
    have shown the value either (reveal inside the request's transaction, return after commit).
    """
    stated = (purpose or "").strip()
    if len(stated) < _PURPOSE_MIN_CHARS:
        msg = "revealing personal data needs a stated purpose"
        raise PurposeRequiredError(msg)
    if current_tenant.get() != keys.tenant_id:
        msg = "keys of another tenant than the one bound to this unit of work"
        raise KeyScopeError(msg)
    try:
        plaintext = decrypt(keys, field, ciphertext)
    except KeyVersionUnavailableError:
        # Rotated by another process since these keys were cached: reload once.
        plaintext = decrypt(await data_key(session, keys.tenant_id, refresh=True), field, ciphertext)
    await audit.record(
        session,
        REVEALED,
        subject_type=subject_type,
        subject_id=str(subject_id),
        purpose=stated,
        detail={"field": field},
    )
    return plaintext
