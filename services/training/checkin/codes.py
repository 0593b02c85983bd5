"""The organiser's changing check-in code: a signed token naming one session and one time step.

A code is ``base64url(version ‖ session id ‖ step ‖ HMAC-SHA256(key, tenant ‖ version ‖ session id ‖ step)[:16])``,
50 URL-safe characters: small enough for a low-density QR code a phone reads across a hall. The district is
bound into the MAC but not carried, so a code read in another district is simply not a code there. The key is
derived from the master key, so there is no further secret to keep; nothing is stored per code.

A code is accepted during its step and the next (a scan in flight when the screen changes), then it has
expired: a photo of the screen passed on afterwards does not check anyone in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from functools import lru_cache
from uuid import UUID

VERSION = 1
_BODY = struct.Struct(">B16sI")  # version, session id, step (unsigned: steps since 1970 fit until 2106)
_MAC_BYTES = 16
_LENGTH = _BODY.size + _MAC_BYTES
_LABEL = b"redcell training check-in code"
LENGTH = -(-_LENGTH * 4 // 3)  # characters, unpadded
SHAPE = re.compile(rf"[A-Za-z0-9_-]{{{LENGTH}}}")


@lru_cache(maxsize=4)
def code_key(master_key: bytes) -> bytes:
    """The key codes are signed with, derived from the master key (as the console derives its CSRF secret)."""
    return hmac.new(master_key, _LABEL, hashlib.sha256).digest()


def step_at(at: datetime, step_s: int) -> int:
    return int(at.timestamp()) // step_s


def step_start(step: int, step_s: int) -> datetime:
    return datetime.fromtimestamp(step * step_s, UTC)


def _mac(key: bytes, tenant: UUID, body: bytes) -> bytes:
    return hmac.new(key, tenant.bytes + body, hashlib.sha256).digest()[:_MAC_BYTES]


def issue(key: bytes, tenant: UUID, session_id: UUID, step: int) -> str:
    body = _BODY.pack(VERSION, session_id.bytes, step)
    return base64.urlsafe_b64encode(body + _mac(key, tenant, body)).rstrip(b"=").decode()


@dataclass(frozen=True, slots=True)
class SignedCode:
    session_id: UUID
    step: int


def read(key: bytes, tenant: UUID, code: str) -> SignedCode | None:
    """The session and step a code names, or None when this district's key did not sign it (forged, altered,
    truncated, another district's, or not a code at all)."""
    if not SHAPE.fullmatch(code):
        return None
    raw = base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))
    body, mac = raw[: _BODY.size], raw[_BODY.size :]
    if not hmac.compare_digest(mac, _mac(key, tenant, body)):
        return None
    version, session_bytes, step = _BODY.unpack(body)
    if version != VERSION:
        return None
    return SignedCode(UUID(bytes=session_bytes), step)


class Freshness(Enum):
    CURRENT = "current"
    EXPIRED = "expired"
    NOT_YET = "not_yet"  # from a future step: not a code this clock has shown


def freshness(code: SignedCode, now_step: int) -> Freshness:
    """Accepted for its own step and the next; a step ahead is allowed for processes whose clocks differ by less
    than a step (the code was shown by one API process, scanned through another)."""
    if code.step < now_step - 1:
        return Freshness.EXPIRED
    if code.step > now_step + 1:
        return Freshness.NOT_YET
    return Freshness.CURRENT
