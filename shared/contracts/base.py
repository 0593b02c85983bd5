from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID

import msgspec

_REGISTRY: dict[str, type[Event]] = {}
E = TypeVar("E", bound="Event")


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """Base of every event. Subclasses declare ``NAME`` (``<service>.<Entity><PastTenseVerb>``) and ``VERSION``."""

    NAME: ClassVar[str]
    VERSION: ClassVar[int] = 1

    tenant_id: UUID | None


def event_type(cls: type[E]) -> type[E]:
    """Class decorator: register a contract so consumers can decode it by name."""
    if cls.NAME in _REGISTRY and _REGISTRY[cls.NAME] is not cls:
        msg = f"event {cls.NAME} is declared twice"
        raise ValueError(msg)
    _REGISTRY[cls.NAME] = cls
    return cls


def registered_events() -> dict[str, type[Event]]:
    return dict(_REGISTRY)


class Envelope(msgspec.Struct, frozen=True, kw_only=True):
    """What travels on the queue: the outbox row's id, the event's name and version, and its payload."""

    id: UUID
    event: str
    version: int
    tenant_id: UUID | None
    occurred_at: datetime
    payload: dict[str, Any]
    request_id: str | None = None

    def decode(self) -> Event:
        cls = _REGISTRY.get(self.event)
        if cls is None:
            msg = f"unknown event {self.event!r}"
            raise LookupError(msg)
        return msgspec.convert({**self.payload, "tenant_id": self.tenant_id}, cls, strict=False)


def payload_of(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = msgspec.to_builtins(event)
    data.pop("tenant_id", None)
    return data
