"""The platform's own web front end (the console) proving itself to the gateway.

Every call the console makes for someone without a token (a sign-in, a renewal, a resident's page calling the
public API) reaches the gateway from the console's one address, so the gateway's per-address limit would count
all its users together. The console's browsers are counted instead where they arrive (the gateway counts
``POST /console/sign-in`` and ``POST /console/r/...`` per client address), and the console marks its own such
calls with a key derived from the master key, which the gateway then does not count per address again. Lockout
per username and the services' own limits (codes per phone number) stay.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

HEADER = "x-redcell-frontend"
_HEADER = HEADER.encode()


def frontend_key(master_key: bytes) -> str:
    return hmac.new(master_key, b"redcell trusted front end", hashlib.sha256).hexdigest()


def from_frontend(headers: Iterable[tuple[bytes, bytes]], key: bytes | None) -> bool:
    """Whether an ASGI request's headers carry the front end's ``key`` (compared in constant time)."""
    if key is None:
        return False
    presented = next((v for k, v in headers if k == _HEADER), None)
    return presented is not None and hmac.compare_digest(presented, key)
