"""Field encryption (AES-256-GCM) and blind indexes (HMAC-SHA256) under a tenant's keys.

Ciphertext layout: format byte ``0x01`` | key version (4 bytes, big-endian) | nonce (12) | ciphertext+tag.
The associated data binds the tenant id, the field name and that header, so a value copied into
another tenant's row or another column does not decrypt, and nobody can relabel its key version.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Callable

from cryptography.exceptions import InvalidTag

from shared.privacy.errors import DecryptionError
from shared.privacy.keys import NONCE_BYTES, TenantKeys
from shared.privacy.normalize import normalize_text

FORMAT_V1 = 0x01
_HEADER_BYTES = 5
_TAG_BYTES = 16
_AAD_PREFIX = b"redcell/pii/v1\x00"
# Field names are code, not data: "resident.phone", "household.address".
_FIELD = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*")
_FIELD_MAX = 100


def _check_field(field: str) -> bytes:
    if len(field) > _FIELD_MAX or not _FIELD.fullmatch(field):
        msg = f"invalid protected-field name {field!r}: use lower-case dotted names such as 'resident.phone'"
        raise ValueError(msg)
    return field.encode()


def _aad(keys: TenantKeys, field: bytes, header: bytes) -> bytes:
    return _AAD_PREFIX + keys.tenant_id.bytes + header + field


def encrypt(keys: TenantKeys, field: str, plaintext: str) -> bytes:
    """Encrypt under the tenant's current key version with a fresh random nonce (never repeats a nonce)."""
    name = _check_field(field)
    header = bytes([FORMAT_V1]) + keys.version.to_bytes(4, "big")
    nonce = os.urandom(NONCE_BYTES)
    body = keys.cipher(keys.version).encrypt(nonce, plaintext.encode(), _aad(keys, name, header))
    return header + nonce + body


def key_version_of(ciphertext: bytes) -> int:
    """The key version a ciphertext was written with (to find values still on an old version)."""
    if len(ciphertext) < _HEADER_BYTES + NONCE_BYTES + _TAG_BYTES or ciphertext[0] != FORMAT_V1:
        msg = "not a protected value of a known format"
        raise DecryptionError(msg)
    return int.from_bytes(ciphertext[1:_HEADER_BYTES], "big")


def decrypt(keys: TenantKeys, field: str, ciphertext: bytes) -> str:
    """Decrypt a value of ``field``; raises DecryptionError (KeyVersionUnavailableError for an unloaded version)."""
    name = _check_field(field)
    version = key_version_of(ciphertext)
    cipher = keys.cipher(version)
    header, nonce, body = (
        ciphertext[:_HEADER_BYTES],
        ciphertext[_HEADER_BYTES : _HEADER_BYTES + NONCE_BYTES],
        ciphertext[_HEADER_BYTES + NONCE_BYTES :],
    )
    try:
        return cipher.decrypt(nonce, body, _aad(keys, name, header)).decode()
    except InvalidTag:
        msg = f"value does not decrypt as {field} of this tenant"
        raise DecryptionError(msg) from None


def blind_index(keys: TenantKeys, field: str, value: str, normalize: Callable[[str], str] = normalize_text) -> bytes:
    """Keyed hash for exact lookups without decrypting: equal for equal normalised values of one field and tenant.

    Pass the field's normaliser (``normalize_phone``, ``normalize_id_card``) both when writing and when
    searching. The field name is hashed in, so equal values in two columns do not link.
    """
    name = _check_field(field)
    return hmac.new(keys.index_key, name + b"\x00" + normalize(value).encode(), hashlib.sha256).digest()
