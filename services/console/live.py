"""Relaying a service's server-sent events to the browser as rendered HTML (the live parts of pages).

``relay(api, path, last_event_id, render)`` reads the service's stream with the user's token and yields what
``render`` makes of each event. When the service ends the stream (its token expired) the relay reconnects
with a renewed token and the last event id, so the browser's connection stays open; when the browser itself
reconnects, its ``Last-Event-ID`` is passed on and the service resumes after it. Once the service's stream
has answered (it subscribes before its first message), a ``live`` event carries ``connected``: the page shows
that it is live from then on, and nothing committed afterwards can be missed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import httpx
from litestar.response import ServerSentEventMessage

from services.console.api import Api, ApiError, UnreachableError
from services.console.session import SignedOutError

HEADERS = {"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no"}


@dataclass
class Event:
    event: str = "message"
    data: str = ""
    id: str | None = None


async def events(response: httpx.Response) -> AsyncIterator[Event | None]:
    """Each event of an SSE body; ``None`` for a comment (a heartbeat), so the relay can pass it on."""
    current = Event()
    lines: list[str] = []
    async for line in response.aiter_lines():
        if not line:
            if lines or current.id is not None:
                current.data = "\n".join(lines)
                yield current
            current, lines = Event(), []
        elif line.startswith(":"):
            yield None
        else:
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "data":
                lines.append(value)
            elif name == "event":
                current.event = value
            elif name == "id":
                current.id = value


Render = Callable[[Event], Awaitable[ServerSentEventMessage | None]]


async def relay(
    api: Api, path: str, last_event_id: str | None, render: Render, connected: str
) -> AsyncIterator[ServerSentEventMessage]:
    last = last_event_id
    while True:
        try:
            async with api.stream(path, last) as response:
                opened = False
                async for event in events(response):
                    if not opened:
                        opened = True
                        yield ServerSentEventMessage(event="live", data=connected, retry=3000)
                    if event is None:
                        yield ServerSentEventMessage(comment="heartbeat")
                        continue
                    last = event.id or last
                    message = await render(event)
                    if message is not None:
                        message.id = event.id
                        yield message
            await asyncio.sleep(1)  # ended by the service (its token expired): go on with a renewed one
        except (SignedOutError, ApiError, UnreachableError, httpx.TransportError):
            # the browser reconnects after ``retry`` (and is sent to sign in if the session is gone)
            return
