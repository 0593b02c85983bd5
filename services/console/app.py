"""The console process: ``redcell api console`` (behind the gateway at ``/console/``)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, PrefixLoader, StrictUndefined
from litestar import Controller, Litestar
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.plugins.prometheus import PrometheusConfig
from litestar.static_files import create_static_files_router
from litestar.stores.redis import RedisStore
from litestar.template.config import TemplateConfig
from redis.asyncio import Redis

from services.console import SERVICE
from services.console.admin.controllers import CONTROLLERS as ADMIN_CONTROLLERS
from services.console.admin.controllers import NAV as ADMIN_NAV
from services.console.agendas.controllers import CONTROLLERS as AGENDAS_CONTROLLERS
from services.console.agendas.controllers import NAV as AGENDAS_NAV
from services.console.api import Gateway
from services.console.archive.controllers import CONTROLLERS as ARCHIVE_CONTROLLERS
from services.console.archive.controllers import NAV as ARCHIVE_NAV
from services.console.assessments.controllers import CONTROLLERS as ASSESSMENTS_CONTROLLERS
from services.console.assessments.controllers import NAV as ASSESSMENTS_NAV
from services.console.attendance.controllers import CONTROLLERS as ATTENDANCE_CONTROLLERS
from services.console.attendance.controllers import NAV as ATTENDANCE_NAV
from services.console.auth.controllers import AuthController
from services.console.bases.controllers import CONTROLLERS as BASES_CONTROLLERS
from services.console.bases.controllers import NAV as BASES_NAV
from services.console.boards.controllers import NAV as BOARDS_NAV
from services.console.boards.controllers import BoardsController
from services.console.boards.public import PublicBoardsController
from services.console.bulk.controllers import CONTROLLERS as BULK_CONTROLLERS
from services.console.bulk.controllers import NAV as BULK_NAV
from services.console.calls.controllers import NAV as CALLS_NAV
from services.console.calls.controllers import CallController
from services.console.campaigns.controllers import CONTROLLERS as CAMPAIGNS_CONTROLLERS
from services.console.campaigns.controllers import NAV as CAMPAIGNS_NAV
from services.console.care.controllers import CONTROLLERS as CARE_CONTROLLERS
from services.console.care.controllers import NAV as CARE_NAV
from services.console.city.controllers import CONTROLLERS as CITY_CONTROLLERS
from services.console.city.controllers import NAV as CITY_NAV
from services.console.commitments.controllers import NAV as COMMITMENTS_NAV
from services.console.commitments.controllers import CommitmentsController
from services.console.courtyards.controllers import CONTROLLERS as COURTYARDS_CONTROLLERS
from services.console.courtyards.controllers import NAV as COURTYARDS_NAV
from services.console.desk.controllers import NAV as DESK_NAV
from services.console.desk.controllers import DeskController
from services.console.documents.controllers import CONTROLLERS as DOCUMENTS_CONTROLLERS
from services.console.documents.controllers import NAV as DOCUMENTS_NAV
from services.console.errors import EXCEPTION_HANDLERS
from services.console.evaluation.controllers import CONTROLLERS as EVALUATION_CONTROLLERS
from services.console.evaluation.controllers import NAV as EVALUATION_NAV
from services.console.five_steps.controllers import CONTROLLERS as FIVE_STEPS_CONTROLLERS
from services.console.five_steps.controllers import NAV as FIVE_STEPS_NAV
from services.console.fund.controllers import CONTROLLERS as FUND_CONTROLLERS
from services.console.fund.controllers import NAV as FUND_NAV
from services.console.hotline.controllers import CONTROLLERS as HOTLINE_CONTROLLERS
from services.console.hotline.controllers import NAV as HOTLINE_NAV
from services.console.household_archive.controllers import CONTROLLERS as HOUSEHOLD_ARCHIVE_CONTROLLERS
from services.console.household_archive.controllers import NAV as HOUSEHOLD_ARCHIVE_NAV
from services.console.i18n import N_, Formats, translations
from services.console.ledgers.controllers import CONTROLLERS as LEDGERS_CONTROLLERS
from services.console.ledgers.controllers import NAV as LEDGERS_NAV
from services.console.lost_members.controllers import CONTROLLERS as LOST_MEMBERS_CONTROLLERS
from services.console.lost_members.controllers import NAV as LOST_MEMBERS_NAV
from services.console.numbers.controllers import CONTROLLERS as NUMBERS_CONTROLLERS
from services.console.numbers.controllers import NAV as NUMBERS_NAV
from services.console.open311.controllers import CONTROLLERS as OPEN311_CONTROLLERS
from services.console.open311.controllers import NAV as OPEN311_NAV
from services.console.people.controllers import CONTROLLERS as PEOPLE_CONTROLLERS
from services.console.people.controllers import NAV as PEOPLE_NAV
from services.console.platform.controllers import CONTROLLERS as PLATFORM_CONTROLLERS
from services.console.platform.controllers import NAV as PLATFORM_NAV
from services.console.proposals.controllers import CONTROLLERS as PROPOSALS_CONTROLLERS
from services.console.proposals.controllers import NAV as PROPOSALS_NAV
from services.console.ratings.controllers import BOARD_NAV as NOTICES_NAV
from services.console.ratings.controllers import CONTROLLERS as RATINGS_CONTROLLERS
from services.console.ratings.controllers import NAV as RATINGS_NAV
from services.console.redcells.controllers import CONTROLLERS as REDCELLS_CONTROLLERS
from services.console.redcells.controllers import NAV as REDCELLS_NAV
from services.console.redflag.controllers import CONTROLLERS as REDFLAG_CONTROLLERS
from services.console.redflag.controllers import NAV as REDFLAG_NAV
from services.console.reports.controllers import CONTROLLERS as REPORTS_CONTROLLERS
from services.console.reports.controllers import NAV as REPORTS_NAV
from services.console.resident.controllers import ResidentController
from services.console.resident.follow import FollowController
from services.console.returns.controllers import CONTROLLERS as RETURNS_CONTROLLERS
from services.console.returns.controllers import NAV as RETURNS_NAV
from services.console.reviews.controllers import CONTROLLERS as REVIEWS_CONTROLLERS
from services.console.reviews.controllers import NAV as REVIEWS_NAV
from services.console.seasons.controllers import CONTROLLERS as SEASONS_CONTROLLERS
from services.console.seasons.controllers import NAV as SEASONS_NAV
from services.console.session import SESSION_COOKIE, SessionConfig, TokenStore
from services.console.settings import ConsoleSettings, get_console_settings
from services.console.stations.controllers import CONTROLLERS as STATIONS_CONTROLLERS
from services.console.stations.controllers import NAV as STATIONS_NAV
from services.console.structure.controllers import CONTROLLERS as STRUCTURE_CONTROLLERS
from services.console.structure.controllers import NAV as STRUCTURE_NAV
from services.console.supervision.controllers import NAV as SUPERVISION_NAV
from services.console.supervision.controllers import SupervisionController
from services.console.swap.controllers import CONTROLLERS as SWAP_CONTROLLERS
from services.console.swap.controllers import NAV as SWAP_NAV
from services.console.tickets.controllers import TicketPageController
from services.console.timing import ServerTimingMiddleware
from services.console.training.controllers import CONTROLLERS as TRAINING_CONTROLLERS
from services.console.training.controllers import MY_NAV as MY_LEARNING_NAV
from services.console.training.controllers import NAV as TRAINING_NAV
from services.console.transfers.controllers import CONTROLLERS as TRANSFERS_CONTROLLERS
from services.console.transfers.controllers import NAV as TRANSFERS_NAV
from services.console.units.controllers import CONTROLLERS as UNITS_CONTROLLERS
from services.console.units.controllers import NAV as UNITS_NAV
from services.console.visits.controllers import CONTROLLERS as VISITS_CONTROLLERS
from services.console.visits.controllers import NAV as VISITS_NAV
from services.console.volunteer.controllers import NAV as VOLUNTEER_NAV
from services.console.volunteer.controllers import VolunteerController
from services.console.volunteer.wishes import WishPageController
from services.console.vulnerable.controllers import CONTROLLERS as VULNERABLE_CONTROLLERS
from services.console.vulnerable.controllers import NAV as VULNERABLE_NAV
from services.console.wall.controllers import NAV as WALL_NAV
from services.console.wall.controllers import WallController
from services.console.web import NavGroup, provide_api, provide_user
from shared.auth.frontend import frontend_key
from shared.http.health import health_handlers
from shared.http.middleware import RequestIdMiddleware
from shared.logging import configure_logging
from shared.settings import Settings, get_settings

HERE = Path(__file__).parent
PREFIX = "redcell:console:"  # the platform's Redis is shared: every console key starts with this
CONTROLLERS: list[type[Controller]] = [
    AuthController,
    DeskController,
    TicketPageController,
    CallController,
    VolunteerController,
    WishPageController,
    ResidentController,
    FollowController,
    SupervisionController,
    *TRAINING_CONTROLLERS,
    *TRANSFERS_CONTROLLERS,
    *RATINGS_CONTROLLERS,
    *REVIEWS_CONTROLLERS,
    *EVALUATION_CONTROLLERS,
    *ASSESSMENTS_CONTROLLERS,
    *BASES_CONTROLLERS,
    *CARE_CONTROLLERS,
    CommitmentsController,
    WallController,
    BoardsController,
    PublicBoardsController,
    *ARCHIVE_CONTROLLERS,
    *ATTENDANCE_CONTROLLERS,
    *DOCUMENTS_CONTROLLERS,
    *UNITS_CONTROLLERS,
    *PEOPLE_CONTROLLERS,
    *REDCELLS_CONTROLLERS,
    *REDFLAG_CONTROLLERS,
    *STRUCTURE_CONTROLLERS,
    *VISITS_CONTROLLERS,
    *VULNERABLE_CONTROLLERS,
    *STATIONS_CONTROLLERS,
    *PROPOSALS_CONTROLLERS,
    *LEDGERS_CONTROLLERS,
    *LOST_MEMBERS_CONTROLLERS,
    *CAMPAIGNS_CONTROLLERS,
    *SEASONS_CONTROLLERS,
    *COURTYARDS_CONTROLLERS,
    *FUND_CONTROLLERS,
    *SWAP_CONTROLLERS,
    *AGENDAS_CONTROLLERS,
    *BULK_CONTROLLERS,
    *REPORTS_CONTROLLERS,
    *HOTLINE_CONTROLLERS,
    *NUMBERS_CONTROLLERS,
    *FIVE_STEPS_CONTROLLERS,
    *RETURNS_CONTROLLERS,
    *HOUSEHOLD_ARCHIVE_CONTROLLERS,
    *ADMIN_CONTROLLERS,
    *PLATFORM_CONTROLLERS,
    *OPEN311_CONTROLLERS,
    *CITY_CONTROLLERS,
]
# Grouped as people look for them; the first link a user may open is where signing in lands.
NAVIGATION = [
    NavGroup(
        N_("Hotline"),
        (
            DESK_NAV,
            CALLS_NAV,
            VOLUNTEER_NAV,
            SUPERVISION_NAV,
            *VULNERABLE_NAV,
            *STATIONS_NAV,
            *FIVE_STEPS_NAV,
            *RETURNS_NAV,
            *CITY_NAV,
        ),
    ),
    NavGroup(
        N_("Education"),
        (
            TRAINING_NAV,
            MY_LEARNING_NAV,
            COMMITMENTS_NAV,
            CARE_NAV,
            RATINGS_NAV,
            NOTICES_NAV,
            *REVIEWS_NAV,
            *EVALUATION_NAV,
            *ASSESSMENTS_NAV,
            *BASES_NAV,
        ),
    ),
    NavGroup(N_("Publicity and records"), (WALL_NAV, BOARDS_NAV, ARCHIVE_NAV, DOCUMENTS_NAV)),
    NavGroup(
        N_("Organisation and people"),
        (
            *UNITS_NAV,
            *PEOPLE_NAV,
            *LOST_MEMBERS_NAV,
            *TRANSFERS_NAV,
            *REDCELLS_NAV,
            *COURTYARDS_NAV,
            *REDFLAG_NAV,
            *STRUCTURE_NAV,
            *ATTENDANCE_NAV,
            *VISITS_NAV,
            *HOUSEHOLD_ARCHIVE_NAV,
            *PROPOSALS_NAV,
            *LEDGERS_NAV,
            *CAMPAIGNS_NAV,
            *SEASONS_NAV,
            *FUND_NAV,
            *SWAP_NAV,
            *AGENDAS_NAV,
            *BULK_NAV,
            *REPORTS_NAV,
        ),
    ),
    NavGroup(N_("Administration"), (*HOTLINE_NAV, *NUMBERS_NAV, *OPEN311_NAV, *ADMIN_NAV, *PLATFORM_NAV)),
]


def templates(console: ConsoleSettings) -> Environment:
    """``<area>/<name>.html`` is ``services/console/<area>/templates/<name>.html``; ``layout/`` holds the frame."""
    areas = {d.name: FileSystemLoader(d / "templates") for d in sorted(HERE.iterdir()) if (d / "templates").is_dir()}
    env = Environment(
        loader=PrefixLoader(areas), autoescape=True, undefined=StrictUndefined, extensions=["jinja2.ext.i18n"]
    )
    env.install_gettext_translations(translations(console.locale), newstyle=True)  # type: ignore[attr-defined]
    formats = Formats(console.locale, console.time_zone)
    env.globals.update(fmt=formats, lang=console.locale.replace("_", "-"))
    return env


def csrf_secret(settings: Settings) -> str:
    """Derived from the master key, so production needs no further secret to keep."""
    return hmac.new(settings.master_key_bytes(), b"redcell console csrf", hashlib.sha256).hexdigest()


def create_app(settings: Settings | None = None, console: ConsoleSettings | None = None) -> Litestar:
    settings = settings or get_settings()
    console = console or get_console_settings()
    configure_logging(SERVICE, json=settings.log_json, level=settings.log_level)
    redis = Redis.from_url(settings.redis.url, socket_timeout=5, socket_connect_timeout=2)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.gateway = Gateway(
            console.gateway_url, console.gateway_timeout_s, frontend_key(settings.master_key_bytes())
        )
        app.state.tokens = TokenStore(redis, PREFIX, console.session_lifetime_s)
        app.state.console = console
        app.state.settings = settings
        app.state.sessions = sessions
        app.state.navigation = NAVIGATION
        try:
            yield
        finally:
            await app.state.gateway.close()
            await redis.aclose()

    async def check_redis() -> None:
        await redis.ping()

    sessions = SessionConfig(
        key=SESSION_COOKIE,
        path="/console",
        secure=console.cookie_secure,
        httponly=True,
        samesite="lax",
        max_age=console.session_lifetime_s,
        renew_on_access=True,
        store="console_sessions",
        exclude=["^/console/static/", "^/livez", "^/readyz", "^/metrics"],
    )
    csrf = CSRFConfig(
        secret=csrf_secret(settings),
        cookie_name="redcell_csrf",
        cookie_path="/console",
        cookie_secure=console.cookie_secure,
        cookie_httponly=True,  # pages carry the token themselves (hidden field, hx-headers)
        header_name="x-csrftoken",
    )
    prometheus = PrometheusConfig(
        app_name=f"redcell_{SERVICE}", prefix="redcell", group_path=True, exclude=["/livez", "/readyz", "/metrics"]
    )
    return Litestar(
        route_handlers=[
            *CONTROLLERS,
            create_static_files_router(path="/console/static", directories=[HERE / "static"], include_in_schema=False),
            *health_handlers({"redis": check_redis}, settings.readiness_timeout_s),
        ],
        middleware=[
            DefineMiddleware(RequestIdMiddleware, trust_forwarded_for=True),  # only the gateway reaches it
            ServerTimingMiddleware,  # outside the session and CSRF work: those are the console's time too
            prometheus.middleware,
            sessions.middleware,
        ],
        csrf_config=csrf,
        stores={"console_sessions": RedisStore(redis, namespace=f"{PREFIX}session")},
        template_config=TemplateConfig(instance=JinjaTemplateEngine.from_environment(templates(console))),
        plugins=[HTMXPlugin()],
        dependencies={"user": Provide(provide_user), "api": Provide(provide_api)},
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[lifespan],
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(title="Redcell console", version="0.1.0", path="/schema"),
        debug=False,
        logging_config=None,
    )
