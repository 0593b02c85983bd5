"""Documents service: typed documents on the organisation tree, files in S3 (direct uploads, versions), generated PDFs,
Chinese full-text search, retention and legal hold, public boards, the regulation library and acceptance dossiers."""

from shared.components import Component

SERVICE = "documents"
COMPONENT = Component(
    name=SERVICE,
    package="services.documents",
    port=8104,
    app="services.documents.app:create_app",
    worker="services.documents.worker",
    schedule="services.documents.schedule",
    demo="services.documents.demo.loader:load_demo",
)
