"""Litestar wiring of the proxy and the merged schema: handlers plus the lifespan that owns their clients."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from litestar import Litestar, Request, get
from litestar.handlers import HTTPRouteHandler
from redis.asyncio import Redis

from gateway.openapi.merge import MergedSchema
from gateway.proxy.forward import Proxy, Upstreams
from gateway.proxy.objects import ObjectRoute, objects_prefix
from gateway.proxy.ratelimit import RateLimiter
from gateway.proxy.settings import ProxySettings
from shared.auth.frontend import frontend_key
from shared.settings import Settings


@dataclass
class ProxyWiring:
    handlers: list[HTTPRouteHandler]
    lifespan: Callable[[Litestar], Any]
    redis_check: Callable[[], Any]
    state: dict[str, Any] = field(default_factory=dict)


def proxy_wiring(settings: Settings, proxy_settings: ProxySettings) -> ProxyWiring:
    # Known before the lifespan runs: the dispatcher lets these through without a token (fastpath.py).
    state: dict[str, Any] = {
        "public_routes": tuple(proxy_settings.public_routes),
        "objects_prefix": objects_prefix(settings.s3),  # presigned object requests, straight to the store
    }
    upstreams = Upstreams(proxy_settings)
    schema = MergedSchema(proxy_settings.upstreams)

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        redis = Redis.from_url(settings.redis.url, socket_timeout=2, socket_connect_timeout=2)
        await upstreams.open()
        limiter = RateLimiter(redis)
        stop = asyncio.Event()
        syncing = asyncio.create_task(limiter.run(stop))
        state["redis"] = redis
        key = frontend_key(settings.master_key_bytes())  # the console's own calls to public routes carry it
        state["proxy"] = Proxy(upstreams, limiter, proxy_settings, settings.max_body_bytes, frontend_key=key)
        state["objects"] = ObjectRoute(settings.s3, upstreams, proxy_settings.upload_timeout_s)
        try:
            yield
        finally:
            stop.set()
            await syncing
            await upstreams.close()
            await redis.aclose()

    @get(["/schema", "/schema/openapi.json"], include_in_schema=False, operation_id="GetPlatformSchema")
    async def merged_schema(request: Request[Any, Any, Any]) -> dict[str, Any]:
        own = request.app.openapi_schema.to_schema()
        return await schema.document(own)

    async def redis_check() -> None:
        await state["redis"].ping()

    return ProxyWiring([merged_schema], lifespan, redis_check, state)
