"""The hot path: ``/api/...`` requests skip Litestar's router and go request id → JWT → rate limit → proxy.

The gateway's latency is a measured budget (docs/architecture-notes.md, "Gateway hot path"); the web console
(``/console/...``) is proxied beside it without a token check (it keeps its own session); everything else (login,
JWKS, the tenant registry, the merged schema) is an ordinary Litestar app behind this dispatcher.
"""

from __future__ import annotations

from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from shared.auth.frontend import from_frontend
from shared.auth.verify import TokenVerifier
from shared.http.middleware import AuthenticationMiddleware, RequestIdMiddleware

_CREDENTIAL_PATHS = frozenset({"/auth/login", "/auth/login/district", "/auth/refresh"})
_PUBLIC = "/public/"  # what anyone may know of a district (gateway/tenants/controllers.py)
_CONSOLE = "/console/"
_TO_CONSOLE = frozenset({"/", "/console"})  # the site's front door and its path without the slash


def _anonymous(path: str) -> str | None:
    """What a request without a token is counted as per client address (None: not counted here)."""
    if path in _CREDENTIAL_PATHS:
        return "attempts"
    return "requests" if path.startswith(_PUBLIC) else None


async def _redirect(send: Send, location: str) -> None:
    headers = [(b"location", location.encode()), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": 302, "headers": headers})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


class GatewayDispatcher:
    def __init__(
        self, app: ASGIApp, proxy_state: dict[str, Any], verifier: TokenVerifier, *, frontend_key: str | None = None
    ) -> None:
        self.app = app
        self.proxy_state = proxy_state
        self.frontend_key = frontend_key.encode() if frontend_key else None
        self.objects: str | None = proxy_state.get("objects_prefix")  # the bucket's path (proxy/objects.py)

        async def forward(scope: Scope, receive: Receive, send: Send) -> None:
            await proxy_state["proxy"](scope, receive, send)

        # Public routes (residents' endpoints) pass without a token; the proxy limits them per address.
        public: tuple[str, ...] = proxy_state.get("public_routes", ())
        self.api = RequestIdMiddleware(
            AuthenticationMiddleware(forward, verifier, public_prefixes=public), trust_forwarded_for=False
        )

        async def console(scope: Scope, receive: Receive, send: Send) -> None:
            await proxy_state["proxy"].site(scope, receive, send)

        # The console authenticates by its own session cookie: no bearer token is asked for here.
        self.console = RequestIdMiddleware(console, trust_forwarded_for=False)

    def __getattr__(self, name: str) -> Any:  # tests and tools reach the Litestar app's attributes
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
        elif scope["path"].startswith("/api/"):
            await self.api(scope, receive, send)
        elif scope["path"].startswith(_CONSOLE):
            await self.console(scope, receive, send)
        elif self.objects and scope["path"].startswith(self.objects):  # presigned: the signature is the authorisation
            await self.proxy_state["objects"](scope, receive, send)
        elif (what := _anonymous(scope["path"])) and await self._too_many_from_address(scope, send, what):
            return
        elif scope["path"] in _TO_CONSOLE:
            await _redirect(send, _CONSOLE)
        else:
            await self.app(scope, receive, send)

    async def _too_many_from_address(self, scope: Scope, send: Send, what: str) -> bool:
        """Password and refresh-token guessing (and anonymous lookups) are limited per client address, before any
        hashing work; not the console's own calls: it counted its browsers per address already."""
        proxy = self.proxy_state.get("proxy")
        if proxy is None or not scope.get("client") or from_frontend(scope["headers"], self.frontend_key):
            return False
        refused: bool = await proxy.over_address_limit(scope, send, what=what)
        return refused
