"""dramatiq on Redis with the worker settings of docs/architecture-notes.md ("Messaging") and context propagation."""

from __future__ import annotations

import dramatiq
import redis
from dramatiq.middleware import AsyncIO

from shared.messaging.middleware import AuditActorMiddleware, MetricsMiddleware, RequestIdMiddleware, TenantMiddleware
from shared.messaging.wakeup import WakingRedisBroker
from shared.settings import Settings

_CONNECT_TIMEOUT_S = 5.0


def make_broker(settings: Settings, *, socket_timeout_s: float | None = None) -> WakingRedisBroker:
    """A Redis broker whose worker requeues a dead worker's messages after ``heartbeat_timeout_ms`` and whose idle
    consumers wait for a wake-up instead of polling (``shared/messaging/wakeup.py``).

    ``socket_timeout_s`` bounds each Redis command: the relay sets it so that a Redis that stops
    answering fails its publish (and the rows are retried) instead of hanging it forever.
    """
    client = redis.Redis.from_url(
        settings.redis.url, socket_connect_timeout=_CONNECT_TIMEOUT_S, socket_timeout=socket_timeout_s
    )
    broker = WakingRedisBroker(
        client=client,
        heartbeat_timeout=settings.worker.heartbeat_timeout_ms,
        maintenance_chance=settings.worker.maintenance_chance,
        idle_wait_ms=settings.worker.idle_wait_ms,
    )
    # AsyncIO runs async actors; the context middleware bind what the message was sent under.
    for middleware in (AsyncIO(), TenantMiddleware(), RequestIdMiddleware(), AuditActorMiddleware()):
        broker.add_middleware(middleware)
    broker.add_middleware(MetricsMiddleware())
    return broker


def declare_broker(settings: Settings) -> WakingRedisBroker:
    """dramatiq binds actors to the global broker at declaration: call this before importing actors."""
    broker = make_broker(settings)
    dramatiq.set_broker(broker)
    return broker
