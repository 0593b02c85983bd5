"""Context carried from an HTTP request into the messages it causes."""

from __future__ import annotations

from contextvars import ContextVar

current_request_id: ContextVar[str | None] = ContextVar("redcell_request_id", default=None)
