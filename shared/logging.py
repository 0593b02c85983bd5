"""Structured JSON logs; every line carries the service, tenant and request id of its unit of work."""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

from shared.context import current_request_id, current_tenant


def _add_context(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    tenant = current_tenant.get()
    if tenant is not None:
        event.setdefault("tenant_id", str(tenant))
    request_id = current_request_id.get()
    if request_id is not None:
        event.setdefault("request_id", request_id)
    return event


def configure_logging(service: str, *, json: bool = True, level: str = "INFO") -> None:
    shared_processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_context,
        lambda _l, _m, e: {**e, "service": service},
    ]
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    structlog.configure(
        processors=[*shared_processors, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
            foreign_pre_chain=shared_processors,
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name)
