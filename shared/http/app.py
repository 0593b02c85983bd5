"""``build_app``: the one way a Redcell service becomes a Litestar app, with the kernel wired in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.types import ControllerRouterHandler
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared.auth.verify import JwksKeySource, TokenVerifier
from shared.db.engine import make_engine, make_sessionmaker
from shared.http.decoding import StrictRequest
from shared.http.health import health_handlers
from shared.http.middleware import AuthenticationMiddleware, RequestIdMiddleware
from shared.http.problems import EXCEPTION_HANDLERS
from shared.http.readiness import ReadinessCheck
from shared.logging import configure_logging
from shared.settings import Settings

PUBLIC_PREFIXES = ("/livez", "/readyz", "/metrics", "/schema")


class _Metrics(PrometheusController):
    path = "/metrics"
    include_in_schema = False


async def provide_db_session(state: State) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed when the handler returns, rolled back if it raises."""
    sessionmaker: async_sessionmaker[AsyncSession] = state.sessionmaker
    async with sessionmaker() as session, session.begin():
        yield session


def build_app(
    service: str,
    route_handlers: Sequence[ControllerRouterHandler],
    settings: Settings,
    *,
    title: str,
    version: str = "0.1.0",
    database: bool = True,
    verifier: TokenVerifier | None = None,
    public_prefixes: tuple[str, ...] = PUBLIC_PREFIXES,
    readiness_checks: dict[str, ReadinessCheck] | None = None,
    lifespan: Sequence[Callable[[Litestar], Any]] = (),
    dependencies: dict[str, Provide] | None = None,
    cors: CORSConfig | None = None,
    extra_middleware: Sequence[Any] = (),
    openapi_description: str | None = None,
    openapi_path: str = "/schema",
    trust_forwarded_for: bool = True,
) -> Litestar:
    configure_logging(service, json=settings.log_json, level=settings.log_level)
    checks = dict(readiness_checks or {})
    engine_holder: dict[str, AsyncEngine] = {}

    @asynccontextmanager
    async def database_lifespan(app: Litestar) -> AsyncIterator[None]:
        engine = make_engine(settings, service, "app")
        engine_holder["engine"] = engine
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)
        try:
            yield
        finally:
            await engine.dispose()

    if database:

        async def check_database() -> None:
            async with engine_holder["engine"].connect() as conn:
                await conn.execute(text("SELECT 1"))

        checks.setdefault("database", check_database)

    token_verifier = verifier or TokenVerifier(JwksKeySource.from_url(settings.jwt.jwks_url), settings.jwt)
    prometheus = PrometheusConfig(
        app_name=f"redcell_{service}", prefix="redcell", group_path=True, exclude=list(PUBLIC_PREFIXES)
    )

    return Litestar(
        route_handlers=[*route_handlers, *health_handlers(checks, settings.readiness_timeout_s), _Metrics],
        middleware=[
            DefineMiddleware(RequestIdMiddleware, trust_forwarded_for=trust_forwarded_for),
            DefineMiddleware(AuthenticationMiddleware, verifier=token_verifier, public_prefixes=public_prefixes),
            prometheus.middleware,
            *extra_middleware,
        ],
        dependencies={"db_session": Provide(provide_db_session), **(dependencies or {})}
        if database
        else (dependencies or {}),
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[*([database_lifespan] if database else []), *lifespan],
        request_max_body_size=settings.max_body_bytes,
        request_class=StrictRequest,  # bodies decoded strictly: "5" is not a number
        cors_config=cors,
        openapi_config=OpenAPIConfig(title=title, version=version, description=openapi_description, path=openapi_path),
        debug=False,
        logging_config=None,  # structlog, configured above, owns logging
    )
