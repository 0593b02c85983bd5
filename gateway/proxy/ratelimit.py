"""Fixed-window rate limits in Redis: one round trip checks the tenant's and the user's windows together."""

from __future__ import annotations

import time

from redis.asyncio import Redis

# KEYS: counters; ARGV: window seconds, then one limit per key. Returns 0 if allowed, else the
# 1-based index of the first exceeded counter. Every counter is incremented (a refused request still counts).
_SCRIPT = """
local exceeded = 0
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, tonumber(ARGV[1]) + 1) end
  if exceeded == 0 and n > tonumber(ARGV[i + 1]) then exceeded = i end
end
return exceeded
"""


class RateLimiter:
    def __init__(self, redis: Redis, window_s: int = 60, prefix: str = "redcell:rl") -> None:
        self._redis = redis
        self._window_s = window_s
        self._prefix = prefix
        self._script = redis.register_script(_SCRIPT)

    async def check(self, limits: list[tuple[str, int]]) -> tuple[int, int]:
        """Count one request against each ``(subject, limit)``; return (exceeded index or 0, retry-after s)."""
        now = time.time()
        window = int(now // self._window_s)
        keys = [f"{self._prefix}:{subject}:{window}" for subject, _ in limits]
        exceeded = int(await self._script(keys=keys, args=[self._window_s, *[limit for _, limit in limits]]))
        retry_after = max(1, int((window + 1) * self._window_s - now))
        return exceeded, retry_after
