"""The documents API process: ``redcell api documents``."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar

from services.documents import SERVICE
from services.documents.boards.controllers import BoardController, PublicBoardController
from services.documents.dossiers.controllers import DossierController
from services.documents.files.downloads import DownloadController
from services.documents.files.store import store_dependencies
from services.documents.generated.controllers import TemplateController
from services.documents.library.controllers import DocumentController
from services.documents.regulations.controllers import RegulationController
from services.documents.retention.controllers import RetentionController
from services.documents.search.controllers import SearchController
from services.documents.search.services import search_engine
from services.documents.types.controllers import RegistryController
from services.documents.uploads.controllers import UploadController
from shared.auth.verify import TokenVerifier
from shared.http.app import PUBLIC_PREFIXES, build_app
from shared.http.audit_log import audit_log_controller
from shared.settings import Settings, get_settings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None, *, verifier: TokenVerifier | None = None) -> Litestar:
    settings = settings or get_settings()
    return build_app(
        SERVICE,
        [
            audit_log_controller(SERVICE),
            RegistryController,
            DocumentController,
            BoardController,
            PublicBoardController,
            TemplateController,
            SearchController,
            UploadController,
            DownloadController,
            RetentionController,
            RegulationController,
            DossierController,
        ],
        settings,
        title="Redcell documents",
        verifier=verifier,
        public_prefixes=(*PUBLIC_PREFIXES, "/api/documents/public/"),  # boards' public pages (boards/public.py)
        dependencies=store_dependencies(settings),  # ``files``: the bucket, presigned for browsers
        lifespan=[search_engine(settings)],  # the system role's pool for searches (search/query.py says why)
        openapi_description=(
            "Typed documents on the organisation tree: the district's registry of types and retention classes, "
            "files in S3 uploaded directly with presigned requests, versions, generated PDFs, Chinese full-text "
            "search, retention and legal hold, public boards, the regulation library and acceptance dossiers."
        ),
    )
