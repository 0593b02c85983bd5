"""Pure ASGI middlewares (cheap per request): request id, then authentication.

Authentication verifies the gateway's JWT in every service; the tenant comes only from the token,
never from a client header.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Iterable
from typing import Any, cast

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from shared.audit import current_client_ip
from shared.auth.principal import current_principal
from shared.auth.verify import InvalidTokenError, TokenVerifier
from shared.context import current_request_id, current_tenant

REQUEST_ID_HEADER = b"x-request-id"
# Request ids made here: this process's random prefix and a counter (unique without a random draw per request).
_PROCESS_PREFIX = secrets.token_hex(8)
_made = itertools.count(1)
_VALID_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._-]{8,64}$")


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value)
    return None


def _client_ip(scope: Scope, trust_forwarded_for: bool) -> str | None:
    if trust_forwarded_for:
        forwarded = _header(scope, b"x-forwarded-for")
        if forwarded:
            return forwarded.split(b",")[0].strip().decode("latin-1")[:45]
    client = scope.get("client")
    return str(client[0]) if client else None


class RequestIdMiddleware:
    """Adopt a well-formed incoming X-Request-ID or make one; echo it on the response; note the client's
    address for the audit log. Services trust X-Forwarded-For (only the gateway reaches them); the
    gateway, facing the world, does not."""

    def __init__(self, app: ASGIApp, trust_forwarded_for: bool = True) -> None:
        self.app = app
        self.trust_forwarded_for = trust_forwarded_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, REQUEST_ID_HEADER)
        request_id = (
            incoming.decode()
            if incoming and _VALID_REQUEST_ID.match(incoming)
            else f"{_PROCESS_PREFIX}{next(_made):016x}"
        )
        token = current_request_id.set(request_id)
        ip_token = current_client_ip.set(_client_ip(scope, self.trust_forwarded_for))
        encoded = request_id.encode()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", ()) if h[0] != REQUEST_ID_HEADER]  # ASGI: lower case
                headers.append((REQUEST_ID_HEADER, encoded))
                message = cast("Any", {**message, "headers": headers})
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current_client_ip.reset(ip_token)
            current_request_id.reset(token)


async def send_problem(
    send: Send, status: int, title: str, detail: str, *, headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    request_id = current_request_id.get()
    if request_id:
        body["request_id"] = request_id
    payload = msgspec.json.encode(body)
    start: Any = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(payload)).encode()),
            *headers,
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": payload, "more_body": False})


class AuthenticationMiddleware:
    """Verify ``Authorization: Bearer`` on every non-public path; bind principal and tenant for the request."""

    def __init__(self, app: ASGIApp, verifier: TokenVerifier, public_prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.verifier = verifier
        self.public_prefixes = public_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"].startswith(self.public_prefixes):
            await self.app(scope, receive, send)
            return
        raw = _header(scope, b"authorization")
        if raw is None or raw[:7].lower() != b"bearer ":
            await send_problem(
                send, 401, "Unauthorized", "a bearer token is required", headers=[(b"www-authenticate", b"Bearer")]
            )
            return
        try:
            principal = await self.verifier.verify(raw[7:].decode("latin-1").strip())
        except InvalidTokenError as exc:
            await send_problem(
                send,
                401,
                "Unauthorized",
                f"invalid token: {exc}",
                headers=[(b"www-authenticate", b'Bearer error="invalid_token"')],
            )
            return
        scope["user"] = principal
        scope["auth"] = principal.token_id
        p_token = current_principal.set(principal)
        t_token = current_tenant.set(principal.tenant_id)
        try:
            await self.app(scope, receive, send)
        finally:
            current_tenant.reset(t_token)
            current_principal.reset(p_token)
