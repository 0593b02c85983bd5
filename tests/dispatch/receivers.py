"""Real peers for the notification tests: a local HTTP receiver (webhook or SMS gateway) and a served app."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from aiohttp import web
from sqlalchemy import select

from deploy.local_servers import free_ports
from services.dispatch.models import Notification
from shared.db.kernel import outbox_message
from shared.messaging.relay import message_for
from tests.dispatch.builders import District


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next scripted status (200 once the script is used up) and keeps what came. A
    script per phone (``by_phone``) answers only the SMS for that phone: the delivery sweep also sends other
    tests' messages, which must not use up this test's failures."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    by_phone: dict[str, list[int]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.received.append(Received(dict(request.headers), body))
        script = self.by_phone.get(_phone_of(body)) or self.statuses
        status = script.pop(0) if script else 200
        return web.json_response({"ok": status < 400}, status=status)


def _phone_of(body: bytes) -> str | None:
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    return parsed.get("phone") if isinstance(parsed, dict) else None


@asynccontextmanager
async def receiving(*statuses: int) -> AsyncIterator[Receiver]:
    receiver = Receiver(statuses=list(statuses))
    app = web.Application()
    app.router.add_post("/{tail:.*}", receiver.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_ports(1)[0]
    await web.TCPSite(runner, "127.0.0.1", port).start()
    receiver.url = f"http://127.0.0.1:{port}/hook"
    try:
        yield receiver
    finally:
        await runner.cleanup()


@asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    """``app`` on a free loopback port (real HTTP, lifespan run), for responses that never end."""
    port = free_ports(1)[0]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the server did not start"
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def queued_envelope(district: District, notification_id: uuid.UUID) -> dict[str, Any]:
    """The NotificationQueued envelope exactly as the relay would put it on the queue."""

    async def read(session: Any) -> Any:
        rows = (
            (
                await session.execute(
                    select(outbox_message).where(outbox_message.c.event == "dispatch.NotificationQueued")
                )
            )
            .mappings()
            .all()
        )
        return next(r for r in rows if r["payload"]["notification_id"] == str(notification_id))

    row = await district.run(read)
    envelope: dict[str, Any] = message_for(row, "dispatch").args[0]
    return envelope


async def notification(district: District, notification_id: uuid.UUID) -> Notification:
    async def read(session: Any) -> Notification:
        row: Notification = (
            await session.scalars(select(Notification).where(Notification.id == notification_id))
        ).one()
        return row

    result: Notification = await district.run(read)
    return result
