"""Events as a consumer receives them: the envelope the relay puts on a service's queue (JSON builtins)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec

from shared.contracts.base import Envelope, Event, payload_of


def envelope(event: Event, *, request_id: str | None = None) -> dict[str, Any]:
    """A new envelope (a fresh id) carrying ``event``."""
    built: dict[str, Any] = msgspec.to_builtins(
        Envelope(
            id=uuid.uuid4(),
            event=event.NAME,
            version=event.VERSION,
            tenant_id=event.tenant_id,
            occurred_at=datetime.now(UTC),
            payload=payload_of(event),
            request_id=request_id,
        )
    )
    return built
