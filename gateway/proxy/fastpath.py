"""The hot path: ``/api/...`` requests skip Litestar's router and go request id → JWT → rate limit → proxy.

The gateway's latency is a measured budget (architecture.md section 7); everything else (login,
JWKS, the tenant registry, the merged schema) is an ordinary Litestar app behind this dispatcher.
"""

from __future__ import annotations

from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from shared.auth.verify import TokenVerifier
from shared.http.middleware import AuthenticationMiddleware, RequestIdMiddleware


class GatewayDispatcher:
    def __init__(self, app: ASGIApp, proxy_state: dict[str, Any], verifier: TokenVerifier) -> None:
        self.app = app

        async def forward(scope: Scope, receive: Receive, send: Send) -> None:
            await proxy_state["proxy"](scope, receive, send)

        self.api = RequestIdMiddleware(
            AuthenticationMiddleware(forward, verifier, public_prefixes=()), trust_forwarded_for=False
        )

    def __getattr__(self, name: str) -> Any:  # tests and tools reach the Litestar app's attributes
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and scope["path"].startswith("/api/"):
            await self.api(scope, receive, send)
        else:
            await self.app(scope, receive, send)
