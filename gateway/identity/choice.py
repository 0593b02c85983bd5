"""The district choice of a login that serves several districts.

Once such a user's password (and one-time code) is proven, the login answers the districts they may choose and a
ticket for choosing one, so the second call proves neither again: a one-time code is accepted only once (replay
protection), so asking for it again would need the next one, and a front end would have to keep the password.

The ticket is sealed with the master key (AES-GCM, so it cannot be made or altered without it) and names the
user, a fingerprint of the password hash it was earned with (a changed password voids it), when it expires, and
the refresh-token family the choice starts. It is spent by that family's first token: a second presentation finds
the family in use and is refused (identity/services.py), so no table of tickets is kept and any gateway process
can redeem it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
import time
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag

from gateway.identity.sealing import seal, unseal
from shared.settings import Settings

CHOICE_S = 300  # long enough to read a list of districts with a phone ringing; short enough to be worth little
_PURPOSE = "redcell district choice"
_LAYOUT = struct.Struct(">16s16sQ16s")  # user id, family id, expiry (epoch seconds), password fingerprint


@dataclass(frozen=True)
class DistrictTicket:
    user_id: uuid.UUID
    family: uuid.UUID  # the refresh-token family the choice starts; its first token spends the ticket
    expires_at: int
    fingerprint: bytes


def fingerprint(password_hash: str) -> bytes:
    return hashlib.sha256(password_hash.encode()).digest()[:16]


def issue(settings: Settings, user_id: uuid.UUID, password_hash: str, now: float | None = None) -> str:
    expires = int(now if now is not None else time.time()) + CHOICE_S
    payload = _LAYOUT.pack(user_id.bytes, uuid.uuid4().bytes, expires, fingerprint(password_hash))
    return base64.urlsafe_b64encode(seal(settings, _PURPOSE, payload)).rstrip(b"=").decode()


def read(settings: Settings, ticket: str, now: float | None = None) -> DistrictTicket | None:
    """The ticket's content while it is in time; None for an expired, altered or made-up one."""
    try:
        raw = base64.urlsafe_b64decode(ticket + "=" * (-len(ticket) % 4))
        user_id, family, expires, print_ = _LAYOUT.unpack(unseal(settings, _PURPOSE, raw))
    except (binascii.Error, ValueError, InvalidTag, struct.error):
        return None
    if expires <= (now if now is not None else time.time()):
        return None
    return DistrictTicket(uuid.UUID(bytes=user_id), uuid.UUID(bytes=family), expires, print_)
