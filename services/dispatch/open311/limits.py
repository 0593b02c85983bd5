"""Each Open311 client's API key is limited to a number of requests a minute, across every dispatch process.

A fixed one-minute window per key in Redis (``INCR`` and ``EXPIRE`` in one round trip): Open311 clients make a few
requests a minute, so one round trip each costs nothing that matters. The gateway's per-address limit still applies
before it. When Redis cannot be reached the key is let through (the per-address limit and the per-phone limits of
the residents' intake still hold) and a warning is logged, as the gateway's limiter does.
"""

from __future__ import annotations

import time
from uuid import UUID

from redis.asyncio import Redis
from redis.exceptions import RedisError

from shared.logging import get_logger

log = get_logger(__name__)
WINDOW_S = 60
_PREFIX = "redcell:open311:key"


class KeyLimiter:
    """On the app's Redis client (``app.state.notifications.redis``, opened and closed with the app)."""

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
