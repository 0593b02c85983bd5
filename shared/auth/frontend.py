"""The platform's own web front end (the console) proving itself to the gateway.

Every sign-in through the console reaches ``/auth/login`` from the console's one address, so the gateway's
per-address limit would count all its users together. The console limits browsers itself (the gateway
counts ``POST /console/sign-in`` per client address) and marks its own credential calls with a key derived
from the master key, which the gateway then does not count per address again. Lockout per username stays.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "x-redcell-frontend"


def frontend_key(master_key: bytes) -> str:
    return hmac.new(master_key, b"redcell trusted front end", hashlib.sha256).hexdigest()

