"""What a desk missed while it was away: a bounded Redis stream per district, replayed on ``Last-Event-ID``.

Why Redis and not rows: the events' ids must follow commit order, or a desk resuming after id N would skip a
change that committed after N's but was numbered before it (ticket_history's uuid7 ids and sequences are taken
before commit). Every API process receives the changes from LISTEN in commit order and appends each to its
district's stream (``XADD ... MAXLEN ~``), so the stream's ids are in commit order; a Lua script keyed by the
history row's id makes the first process to append a change the only one, and hands every other process the
same id. The stream holds the district's last ``STREAM_MAXLEN`` changes (ids and paths, no personal data).

Changes nobody appended (no API process listening, Redis away) leave a gap: each process starts a new epoch
(``INCR GAP_KEY``) when it starts listening, and once Redis answers again after a failure; every entry records
the epoch it was appended in. A desk whose last event is of an earlier epoch, or no longer in the stream, is
told to ``resync`` (reload) instead of being replayed a partial story.
"""

from __future__ import annotations

import json
import time
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from shared.logging import get_logger

log = get_logger(__name__)

STREAM_MAXLEN = 2000  # per district: a few hours of a busy hotline; a desk away longer reloads
SEEN_TTL_S = 600  # how long the id given to a change is remembered for the other API processes
GAP_KEY = "redcell:dispatch:ticket-stream:gap"
RETRY_AFTER_S = 5.0  # Redis failed: changes go out live without an id this long before it is tried again

# KEYS: the district's stream, the change's seen key, GAP_KEY. ARGV: the change, MAXLEN, the seen key's TTL.
_APPEND = """
local id = redis.call('GET', KEYS[2])
if id then return id end
local epoch = redis.call('GET', KEYS[3]) or '0'
id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'change', ARGV[1], 'epoch', epoch)
redis.call('SET', KEYS[2], id, 'EX', ARGV[3])
return id
"""


def stream_key(tenant: str) -> str:
    return f"redcell:dispatch:ticket-stream:{tenant}"


def order(event_id: str) -> tuple[int, int] | None:
    """A stream id ``<ms>-<seq>`` as a comparable pair; None for anything else."""
    ms, dash, seq = event_id.partition("-")
    if not (dash and ms.isdigit() and seq.isdigit()):
        return None
    return int(ms), int(seq)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _field(fields: Any, name: str) -> Any:
    return fields[name.encode()] if name.encode() in fields else fields[name]


class ReplayBuffer:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._append = redis.register_script(_APPEND)
        self._gap_owed = False  # a change could not be appended: mark the gap once Redis answers again
        self._retry_at = 0.0  # after a failure, live changes go out without ids for a while instead of waiting

    def _failed(self, what: str, exc: Exception) -> None:
        self._gap_owed, self._retry_at = True, time.monotonic() + RETRY_AFTER_S
        log.warning(f"ticket stream cannot {what}", error=type(exc).__name__)

    async def mark_gap(self) -> None:
        try:
            await self.redis.incr(GAP_KEY)
            self._gap_owed = False
        except (RedisError, OSError) as exc:
            self._failed("mark a gap", exc)

    async def append(self, change: dict[str, Any]) -> str | None:
        """The change's id in its district's stream (the same in every API process); None if Redis is away."""
        tenant, change_id = change.get("tenant"), change.get("id")
        if not isinstance(tenant, str) or not isinstance(change_id, str) or time.monotonic() < self._retry_at:
            return None
        if self._gap_owed:
            await self.mark_gap()
            if self._gap_owed:
                return None
        key = stream_key(tenant)
        try:
            event_id = await self._append(
                keys=[key, f"{key}:seen:{change_id}", GAP_KEY], args=[json.dumps(change), STREAM_MAXLEN, SEEN_TTL_S]
            )
        except (RedisError, OSError) as exc:
            self._failed("number a change", exc)
            return None
        return _text(event_id)

    async def since(self, tenant: str, last_id: str) -> list[tuple[str, dict[str, Any]]] | None:
        """The district's changes after ``last_id``, oldest first; None when they cannot all be given (the id
        is unknown or trimmed away, a gap came after it, Redis is away)."""
        last = order(last_id)
        if last is None:
            return None
        key = stream_key(tenant)
        try:
            seen = await self.redis.xrange(key, min=last_id, max=last_id, count=1)
            epoch = await self.redis.get(GAP_KEY)
            if not seen or _text(_field(seen[0][1], "epoch")) != _text(epoch or b"0"):
                return None
            entries = await self.redis.xrange(key, min=f"{last[0]}-{last[1] + 1}", max="+", count=STREAM_MAXLEN)
        except (RedisError, OSError) as exc:
            log.warning("ticket stream cannot replay", error=type(exc).__name__)
            return None
        return [(_text(event_id), json.loads(_text(_field(fields, "change")))) for event_id, fields in entries or []]
