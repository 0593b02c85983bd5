"""Each Open311 client's API key is limited to a number of requests a minute, across every dispatch process.

A fixed one-minute window per key in Redis (``INCR`` and ``EXPIRE`` in one round trip): Open311 clients make a few
requests a minute, so one round trip each costs nothing that matters. The gateway's per-address limit still applies
before it. When Redis cannot be reached the key is let through (the per-address limit and the per-phone limits of
the residents' intake still hold) and a warning is logged, as the gateway's limiter does.
"""

from __future__ import annotations

import asyncio
import time
from uuid import UUID

from redis.asyncio import Redis
from redis.exceptions import RedisError

from shared.logging import get_logger
from shared.settings import get_settings

log = get_logger(__name__)
WINDOW_S = 60
_PREFIX = "redcell:open311:key"


class KeyLimiter:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def over_limit(self, client_id: UUID, limit: int) -> int | None:
        """Count one request of ``client_id``'s key; the seconds until its next window when it is over ``limit``."""
        now = time.time()
        window = int(now // WINDOW_S)
        key = f"{_PREFIX}:{client_id}:{window}"
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.incr(key)
                pipe.expire(key, 2 * WINDOW_S)
                counted, _ = await pipe.execute()
        except (RedisError, OSError) as exc:
            log.warning("open311 key limit unavailable; request let through", error=type(exc).__name__)
            return None
        if int(counted) <= limit:
            return None
        return max(1, int((window + 1) * WINDOW_S - now))


_limiters: dict[asyncio.AbstractEventLoop, KeyLimiter] = {}


def key_limiter() -> KeyLimiter:
    """One per event loop (a Redis connection belongs to the loop that opened it), on the platform's Redis."""
    loop = asyncio.get_running_loop()
    if loop not in _limiters:
        for closed in [other for other in _limiters if other.is_closed()]:
            del _limiters[closed]
        redis = Redis.from_url(get_settings().redis.url, socket_timeout=2, socket_connect_timeout=2)
        _limiters[loop] = KeyLimiter(redis)
    return _limiters[loop]
