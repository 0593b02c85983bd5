"""The gateway process: ``redcell api gateway``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.config.cors import CORSConfig

from gateway.city.controllers import CityFiguresController, PlatformCityController
from gateway.identity.controllers import AuthController, jwks
from gateway.identity.keys import KeyRing
from gateway.proxy.fastpath import GatewayDispatcher
from gateway.proxy.routes import proxy_wiring
from gateway.proxy.settings import ProxySettings, get_proxy_settings
from gateway.tenants.controllers import DistrictUserController, PlatformTenantController, PublicDistrictController
from gateway.transfers.controllers import TransferDistrictController, TransferOfferController
from shared.auth.frontend import frontend_key
from shared.auth.verify import JwksKeySource, TokenVerifier
from shared.db.engine import make_engine, make_sessionmaker
from shared.http.app import build_app
from shared.http.audit_log import audit_log_controller
from shared.settings import Settings, get_settings

SERVICE = "gateway"
MIGRATIONS = Path(__file__).parent / "migrations"
PUBLIC = (
    "/livez",
    "/readyz",
    "/metrics",
    "/schema",
    "/auth/login",  # and /auth/login/district
    "/auth/refresh",
    "/auth/logout",
    "/.well-known/",
    "/public/",  # what anyone may know of a district (tenants/controllers.py)
)


def create_app(settings: Settings | None = None, proxy_settings: ProxySettings | None = None) -> GatewayDispatcher:
    settings = settings or get_settings()
    proxy_settings = proxy_settings or get_proxy_settings()
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def identity_lifespan(app: Litestar) -> AsyncIterator[None]:
        # Identity flows read users across districts: the explicit system role, never the app role.
        engine = make_engine(settings, SERVICE, "system", pool_size=5)
        app.state.settings = settings
        app.state.proxy_settings = proxy_settings  # the upstreams the transfers ask as the user (transfers/)
        app.state.system_sessions = make_sessionmaker(engine)
        app.state.key_ring = state["keys"] = KeyRing(settings, app.state.system_sessions)
        try:
            yield
        finally:
            await engine.dispose()

    async def own_jwks() -> dict[str, Any]:  # the gateway verifies its own tokens without calling itself
        keys: dict[str, Any] = await state["keys"].jwks()
        return keys

    proxy = proxy_wiring(settings, proxy_settings)
    cors = (
        CORSConfig(allow_origins=proxy_settings.cors_origins, allow_credentials=False)
        if proxy_settings.cors_origins
        else None
    )
    verifier = TokenVerifier(JwksKeySource(own_jwks), settings.jwt)
    app = build_app(
        SERVICE,
        [
            AuthController,
            jwks,
            PlatformTenantController,
            PlatformCityController,
            CityFiguresController,
            DistrictUserController,
            TransferDistrictController,
            TransferOfferController,
            audit_log_controller(SERVICE, "/admin/audit"),  # sign-ins, user changes: the district's own
            PublicDistrictController,
            *proxy.handlers,
        ],
        settings,
        title="Redcell platform",
        verifier=verifier,
        public_prefixes=PUBLIC,
        readiness_checks={"redis": proxy.redis_check},
        lifespan=[identity_lifespan, proxy.lifespan],
        cors=cors,
        openapi_path="/schema/gateway",
        trust_forwarded_for=False,
        openapi_description="Redcell: identity, districts and every service under /api/<service>.",
    )
    return GatewayDispatcher(app, proxy.state, verifier, frontend_key=frontend_key(settings.master_key_bytes()))
