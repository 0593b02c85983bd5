"""The delivery log for operators, the live ticket stream for staff, and the development SMS outbox (DSP-18)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

import jwt
import msgspec
from litestar import Controller, Litestar, Request, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import HeaderParameter, QueryParameter
from litestar.response import ServerSentEvent
from redis.asyncio import Redis

from services.dispatch import SERVICE
from services.dispatch.access import OPERATORS, STAFF
from services.dispatch.models import Notification
from services.dispatch.notifications.channels import DEV_OUTBOX_MAX, SIGNATURE_HEADER, dev_outbox_key
from services.dispatch.notifications.delivery import OWED
from services.dispatch.notifications.replay import ReplayBuffer
from services.dispatch.notifications.schemas import (
    DevOutboxEntry,
    NotificationPage,
    NotificationView,
    WebhookSecretView,
)
from services.dispatch.notifications.services import NotificationService
from services.dispatch.notifications.stream import TicketStream
from shared.auth.principal import Role
from shared.context import require_tenant
from shared.db.cells import cell_dsns
from shared.http.di import provide_service
from shared.http.guards import principal_of, requires_role, requires_tenant
from shared.http.problems import ProblemError
from shared.http.views import view
from shared.settings import Settings

AnyRequest = Request[Any, Any, Any]
STATUSES = ("pending", "retrying", "delivered", "skipped", "dead")
Status = Annotated[str | None, QueryParameter(name="status", pattern="^(" + "|".join(STATUSES) + ")$")]
Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=200)]
After = Annotated[str | None, QueryParameter(name="after", max_length=120)]
SIGNATURE_SCHEME = "t=<unix seconds>,v1=hex(HMAC-SHA256(secret, '<t>.' + body))"


@dataclass(frozen=True)
class Runtime:
    """What these routes need beyond a database session, opened with the app (``app.state.notifications``)."""

    settings: Settings
    stream: TicketStream
    redis: Redis


def lifespan(settings: Settings) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """The live stream's LISTEN connection (the app role's own, outside the pool) and a Redis client."""

    @asynccontextmanager
    async def run(app: Litestar) -> AsyncIterator[None]:
        dsns = cell_dsns(settings, SERVICE, "app")
        redis = Redis.from_url(settings.redis.url, socket_timeout=2, socket_connect_timeout=2)
        stream = TicketStream(dsns, replay=ReplayBuffer(redis), connect_timeout_s=settings.pg.connect_timeout_s)
        app.state.notifications = Runtime(settings, stream, redis)
        await stream.start()
        try:
            yield
        finally:
            await stream.stop()
            await redis.aclose()

    return run


def token_expiry(request: AnyRequest) -> float | None:
    """The ``exp`` of the bearer token the middleware has already verified (the principal does not carry it)."""
    _, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        return float(jwt.decode(token, options={"verify_signature": False})["exp"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return None


def runtime(state: State) -> Runtime:
    value: Runtime = state.notifications
    return value


def notification_view(row: Notification) -> NotificationView:
    return view(NotificationView, row, next_attempt_at=row.next_attempt_at if row.status in OWED else None)


class NotificationController(Controller):
    path = "/api/dispatch/notifications"
    tags = ["Notifications"]
    guards = [requires_tenant]
    dependencies = {"notifications": provide_service(NotificationService)}

    @get(
        "/",
        operation_id="ListNotifications",
        guards=[requires_role(*OPERATORS)],
        summary="The delivery log, newest first, a page at a time (`after`: the previous page's `next`): template, "
        "channel, status and attempts (no numbers)",
    )
    async def list_notifications(
        self,
        notifications: NamedDependency[NotificationService],
        ticket_id: Annotated[UUID | None, QueryParameter(name="ticketId")] = None,
        status: Status = None,
        after: After = None,
        limit: Limit = 50,
    ) -> NotificationPage:
        rows, cursor = await notifications.log(ticket_id=ticket_id, status=status, after=after, limit=limit)
        return NotificationPage(items=[notification_view(row) for row in rows], next=cursor)

    @get(
        "/webhook-secret",
        operation_id="GetWebhookSecret",
        guards=[requires_role(Role.DISTRICT_ADMIN)],
        summary="The key the district's system verifies webhook signatures with (audited)",
    )
    async def get_webhook_secret(
        self, state: State, notifications: NamedDependency[NotificationService]
    ) -> WebhookSecretView:
        secret = await notifications.webhook_secret(runtime(state).settings)
        return WebhookSecretView(secret=secret.hex(), header=SIGNATURE_HEADER, scheme=SIGNATURE_SCHEME)


class LiveController(Controller):
    path = "/api/dispatch"
    tags = ["Notifications"]
    guards = [requires_tenant]

    @get(
        "/stream",
        operation_id="StreamTicketChanges",
        guards=[requires_role(*STAFF)],
        summary="Server-sent events of the district's ticket changes (heartbeat comment every 15 s); each change "
        "has an id, and a reconnecting desk sends the last one as Last-Event-ID to get what it missed first "
        "(or a resync event: reload). An expired event ends the stream when the token expires.",
    )
    async def stream(
        self,
        request: AnyRequest,
        state: State,
        last_event_id: Annotated[str | None, HeaderParameter(name="Last-Event-ID", max_length=40)] = None,
    ) -> ServerSentEvent:
        live = runtime(state).stream
        events = live.events(principal_of(request), last_event_id=last_event_id, expires_at=token_expiry(request))
        # no-transform and X-Accel-Buffering: proxies in front must pass events on as they come.
        headers = {"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no"}
        return ServerSentEvent(events, headers=headers)

    @get(
        "/dev-outbox",
        operation_id="ListDevOutbox",
        guards=[requires_role(Role.DISTRICT_ADMIN)],
        summary="Development only: the SMS texts the local channel would have sent, newest first",
    )
    async def dev_outbox(self, state: State) -> list[DevOutboxEntry]:
        live = runtime(state)
        if live.settings.env == "prod":
            raise ProblemError(404, "the development outbox does not exist in production", title="Not Found")
        raw = await live.redis.lrange(dev_outbox_key(require_tenant()), 0, DEV_OUTBOX_MAX - 1)
        return [msgspec.convert(json.loads(item), DevOutboxEntry) for item in raw]
