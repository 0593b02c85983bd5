"""``build_app``: the one way a Redcell service becomes a Litestar app, with the kernel wired in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.types import ControllerRouterHandler
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.auth.verify import JwksKeySource, TokenVerifier
from shared.context import current_tenant
from shared.db.cells import CellEngines, DistrictPausedError, cell_sessionmaker, placement_view
from shared.db.reads import LeanReads
from shared.http.decoding import StrictRequest
from shared.http.health import health_handlers
from shared.http.middleware import AuthenticationMiddleware, RequestIdMiddleware
from shared.http.problems import EXCEPTION_HANDLERS
from shared.http.readiness import ReadinessCheck
from shared.logging import configure_logging
from shared.settings import Settings

PUBLIC_PREFIXES = ("/livez", "/readyz", "/metrics", "/schema")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _Metrics(PrometheusController):
    path = "/metrics"
    include_in_schema = False


async def provide_db_session(state: State, request: Request[Any, Any, Any]) -> AsyncIterator[AsyncSession]:
    """One transaction per request, on the cell holding the district's rows: committed when the handler returns,
    rolled back if it raises. While the district's rows move to another cell, a write is refused (503) and a read
    runs read-only on the old cell, so that nothing is written where it would be left behind."""
    sessionmaker: async_sessionmaker[AsyncSession] = state.sessionmaker
    tenant = current_tenant.get()
    paused = tenant is not None and placement_view(state.settings).paused(tenant, state.service)
    if paused and tenant is not None and request.method not in SAFE_METHODS:
        raise DistrictPausedError(tenant, state.service)
    async with sessionmaker() as session, session.begin():
        if paused:
            await session.execute(text("SET TRANSACTION READ ONLY"))
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
    engines = CellEngines(settings, service, "app")

    @asynccontextmanager
    async def database_lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.settings, app.state.service = settings, service
        app.state.engine = engines.engine()  # main: platform-wide work
        app.state.sessionmaker = cell_sessionmaker(engines)
        app.state.reads = LeanReads(settings, service)  # hot listings straight on asyncpg (shared/db/reads.py)
        try:
            yield
        finally:
            await app.state.reads.close()
            await engines.dispose()

    if database:

        async def check_database() -> None:
            for engine in engines.all():  # every cell: a district on an unreachable cell is a district down
                async with engine.connect() as conn:
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
