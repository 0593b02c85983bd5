"""The dispatch API process: ``redcell api dispatch``."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar

from services.dispatch import SERVICE
from services.dispatch.catalogue.controllers import CatalogueController
from services.dispatch.tickets.controllers import CallerController, TicketController
from shared.auth.verify import TokenVerifier
from shared.http.app import build_app
from shared.settings import Settings, get_settings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None, *, verifier: TokenVerifier | None = None) -> Litestar:
    return build_app(
        SERVICE,
        [
            CatalogueController,
            TicketController,
            CallerController,
        ],
        settings or get_settings(),
        title="Redcell dispatch",
        verifier=verifier,
        openapi_description=(
            "The district's hotline: tickets from residents' calls and visits, routing to volunteers and units, "
            "time limits and escalation up the tree, callbacks, the time bank and micro-wishes."
        ),
    )
