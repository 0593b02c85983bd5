"""The orgtree API process: ``redcell api orgtree``."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar

from services.orgtree import SERVICE
from services.orgtree.nodes.controllers import NodeController
from shared.auth.verify import TokenVerifier
from shared.http.app import build_app
from shared.settings import Settings, get_settings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None, *, verifier: TokenVerifier | None = None) -> Litestar:
    return build_app(
        SERVICE,
        [NodeController],
        settings or get_settings(),
        title="Redcell orgtree",
        verifier=verifier,
        openapi_description="The district's organisation trees: streets, communities, grids, party units.",
    )
