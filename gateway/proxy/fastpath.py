"""The hot path: ``/api/...`` requests skip Litestar's router and go request id → JWT → rate limit → proxy.

The gateway's latency is a measured budget (docs/architecture-notes.md, "Gateway hot path"); everything else (login,
JWKS, the tenant registry, the merged schema) is an ordinary Litestar app behind this dispatcher.
"""

from __future__ import annotations

from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from shared.auth.verify import TokenVerifier
from shared.http.middleware import AuthenticationMiddleware, RequestIdMiddleware

_CREDENTIAL_PATHS = frozenset({"/auth/login", "/auth/refresh"})


class GatewayDispatcher:
    def __init__(self, app: ASGIApp, proxy_state: dict[str, Any], verifier: TokenVerifier) -> None:
        self.app = app
        self.proxy_state = proxy_state

        async def forward(scope: Scope, receive: Receive, send: Send) -> None:
            await proxy_state["proxy"](scope, receive, send)

        # Public routes (residents' endpoints) pass without a token; the proxy limits them per address.
        public: tuple[str, ...] = proxy_state.get("public_routes", ())
        self.api = RequestIdMiddleware(
            AuthenticationMiddleware(forward, verifier, public_prefixes=public), trust_forwarded_for=False
        )

    def __getattr__(self, name: str) -> Any:  # tests and tools reach the Litestar app's attributes
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
        elif scope["path"].startswith("/api/"):
            await self.api(scope, receive, send)
        elif scope["path"] in _CREDENTIAL_PATHS and await self._too_many_from_address(scope, send):
            return
        else:
            await self.app(scope, receive, send)

    async def _too_many_from_address(self, scope: Scope, send: Send) -> bool:
        """Password and refresh-token guessing is limited per client address, before any hashing work."""
        proxy = self.proxy_state.get("proxy")
        if proxy is None or not scope.get("client"):
            return False
        refused: bool = await proxy.over_address_limit(scope, send, what="attempts")
        return refused
