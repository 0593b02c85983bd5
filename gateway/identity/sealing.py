"""Secrets the gateway keeps at rest (signing keys, TOTP seeds) are sealed with the master key."""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.settings import Settings


def seal(settings: Settings, purpose: str, plaintext: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(settings.master_key_bytes()).encrypt(nonce, plaintext, purpose.encode())


def unseal(settings: Settings, purpose: str, sealed: bytes) -> bytes:
    return AESGCM(settings.master_key_bytes()).decrypt(sealed[:12], sealed[12:], purpose.encode())
