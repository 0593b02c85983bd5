"""``Server-Timing`` on every page: time spent waiting for the APIs and the console's own time beside it.

The console's promise is to add little to the API calls a page makes (issue 12 measures it per page), so
each response says how its time was spent: ``api`` (the union of the intervals during which an API call was
in flight, concurrent calls counted once) and ``console`` (the rest, up to the response's first byte).
Browsers' developer tools show it; ``make bench`` reads it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

_intervals: ContextVar[list[tuple[float, float]] | None] = ContextVar("api_intervals", default=None)


@contextmanager
def api_call() -> Iterator[None]:
    """Around one call to the gateway: its interval joins the request's record (if one is kept)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        record = _intervals.get()
        if record is not None:
            record.append((started, time.perf_counter()))


def covered(intervals: list[tuple[float, float]]) -> float:
    """Seconds covered by the union of the intervals."""
    total, reach = 0.0, float("-inf")
    for start, end in sorted(intervals):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


class ServerTimingMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        record: list[tuple[float, float]] = []
        token = _intervals.set(record)
        started = time.perf_counter()

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed = time.perf_counter() - started
                api = covered(record)
                value = f"api;dur={api * 1000:.2f}, console;dur={(elapsed - api) * 1000:.2f}"
                message["headers"] = [*message.get("headers", []), (b"server-timing", value.encode())]
            await send(message)

        try:
            await self.app(scope, receive, timed_send)
        finally:
            _intervals.reset(token)
