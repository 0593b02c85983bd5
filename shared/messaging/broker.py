"""dramatiq on Redis with the worker settings of architecture.md section 4 and context propagation."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import AsyncIO, Middleware
from prometheus_client import Counter

from shared.audit import Actor, current_actor
from shared.messaging.context import current_request_id
from shared.settings import Settings
from shared.tenancy import current_tenant

MESSAGES = Counter("redcell_messages_total", "Messages handled by workers", ["queue", "actor", "outcome"])


class ContextMiddleware(Middleware):
    """Bind the tenant and request id a message was sent under for the duration of its actor."""

    def before_process_message(self, broker: Any, message: Any) -> None:
        tenant = message.options.get("tenant_id")
        message._redcell_tokens = (
            current_tenant.set(UUID(tenant) if tenant else None),
            current_request_id.set(message.options.get("request_id")),
            # audit entries written by a consumer name the queue that acted, not a person
            current_actor.set(Actor(f"system:{message.queue_name}", ())),
        )

    def after_process_message(self, broker: Any, message: Any, *, result: Any = None, exception: Any = None) -> None:
        outcome = "failed" if exception is not None else "done"
        MESSAGES.labels(message.queue_name, message.actor_name, outcome).inc()
        tokens = getattr(message, "_redcell_tokens", None)
        if tokens is not None:
            current_tenant.reset(tokens[0])
            current_request_id.reset(tokens[1])
            current_actor.reset(tokens[2])

    after_skip_message = after_process_message


def make_broker(settings: Settings) -> RedisBroker:
    broker = RedisBroker(  # type: ignore[no-untyped-call]
        url=settings.redis.url,
        heartbeat_timeout=settings.worker.heartbeat_timeout_ms,
        maintenance_chance=settings.worker.maintenance_chance,
    )
    broker.add_middleware(AsyncIO())
    broker.add_middleware(ContextMiddleware())
    return broker


def declare_broker(settings: Settings) -> RedisBroker:
    """dramatiq binds actors to the global broker at declaration: call this before importing actors."""
    broker = make_broker(settings)
    dramatiq.set_broker(broker)
    return broker
