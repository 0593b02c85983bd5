"""A sign-in between its steps (password proven, one-time code still to come; the district step needs neither:
choosing.py).

The gateway's login takes password and code in one call, so the password must wait server-side for the code:
sealed with AES-GCM under a key derived from the master key, in the server-side session, for five minutes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.settings import Settings

PENDING_S = 300


def _key(settings: Settings) -> bytes:
    return hmac.new(settings.master_key_bytes(), b"redcell console pending sign-in", hashlib.sha256).digest()


def hold(settings: Settings, username: str, password: str, next_page: str, otp: str = "") -> dict[str, Any]:
    nonce = os.urandom(12)
    sealed = AESGCM(_key(settings)).encrypt(nonce, password.encode(), username.encode())
    return {
        "username": username,
        "sealed": base64.b64encode(nonce + sealed).decode(),
        "otp": otp,
        "next": next_page,
        "until": time.time() + PENDING_S,
    }


def release(settings: Settings, pending: Any) -> tuple[str, str, str, str] | None:
    """(username, password, one-time code, next page) of a pending sign-in still in time, else None."""
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        return None
    raw = base64.b64decode(pending["sealed"])
    password = AESGCM(_key(settings)).decrypt(raw[:12], raw[12:], pending["username"].encode()).decode()
    return pending["username"], password, pending.get("otp", ""), pending.get("next", "")
