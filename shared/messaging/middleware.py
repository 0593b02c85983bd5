"""dramatiq middleware: the context a message was sent under, bound for its actor, and counters.

``before_process_message`` and ``after_process_message`` run on the same worker thread, so a
ContextVar set in one is reset in the other; async actors see the value because dramatiq submits
their coroutine with ``run_coroutine_threadsafe``, which copies the worker thread's context.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import Any, Generic, TypeVar
from uuid import UUID

from dramatiq.middleware import Middleware
from prometheus_client import Counter

from shared.audit import Actor, current_actor
from shared.context import current_request_id, current_tenant

T = TypeVar("T")

MESSAGES_PROCESSED = Counter(
    "redcell_messages_processed_total", "Messages whose actor returned normally", ["queue", "actor"]
)
# Every failed attempt counts: a message that fails three times and then succeeds adds three here.
MESSAGES_FAILED = Counter(
    "redcell_messages_failed_total", "Message attempts that raised or were skipped", ["queue", "actor"]
)


class ContextVarMiddleware(Middleware, Generic[T]):
    """Bind ``var`` to ``value(message)`` while the message's actor runs, then restore it."""

    def __init__(self, var: ContextVar[T | None]) -> None:
        self.var = var
        self._slot = f"_redcell_token_{var.name}"  # one attribute per middleware on the message proxy

    def value(self, message: Any) -> T | None:
        raise NotImplementedError

    def before_process_message(self, broker: Any, message: Any) -> None:
        setattr(message, self._slot, self.var.set(self.value(message)))

    def after_process_message(self, broker: Any, message: Any, *, result: Any = None, exception: Any = None) -> None:
        # Absent when an earlier middleware's before hook raised before ours ran.
        token: Token[T | None] | None = vars(message).pop(self._slot, None)
        if token is not None:
            self.var.reset(token)

    def after_skip_message(self, broker: Any, message: Any) -> None:
        self.after_process_message(broker, message)


class TenantMiddleware(ContextVarMiddleware[UUID]):
    """``options["tenant_id"]`` into ``current_tenant``: the tenant hook hands it to RLS."""

    def __init__(self) -> None:
        super().__init__(current_tenant)

    def value(self, message: Any) -> UUID | None:
        raw = message.options.get("tenant_id")
        return UUID(str(raw)) if raw else None


class RequestIdMiddleware(ContextVarMiddleware[str]):
    """``options["request_id"]`` into ``current_request_id``: logs and audit entries name the request."""

    def __init__(self) -> None:
        super().__init__(current_request_id)

    def value(self, message: Any) -> str | None:
        raw = message.options.get("request_id")
        return str(raw) if raw else None


class AuditActorMiddleware(ContextVarMiddleware[Actor]):
    """Audit entries written by a consumer name the queue that acted, not a person."""

    def __init__(self) -> None:
        super().__init__(current_actor)

    def value(self, message: Any) -> Actor:
        return Actor(f"system:{message.queue_name}")


class MetricsMiddleware(Middleware):
    def after_process_message(self, broker: Any, message: Any, *, result: Any = None, exception: Any = None) -> None:
        counter = MESSAGES_FAILED if exception is not None else MESSAGES_PROCESSED
        counter.labels(message.queue_name, message.actor_name).inc()

    def after_skip_message(self, broker: Any, message: Any) -> None:
        MESSAGES_FAILED.labels(message.queue_name, message.actor_name).inc()
