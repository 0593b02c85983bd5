"""Training service: member education and assessment records (programmes, sessions and check-in, credit hours
against the district's rules, the points ledger, commitments, star ratings and monthly reports)."""

from shared.components import Component

SERVICE = "training"
COMPONENT = Component(
    name=SERVICE,
    package="services.training",
    port=8103,
    app="services.training.app:create_app",
    worker="services.training.worker",
    schedule="services.training.schedule",
    demo="services.training.demo.loader:load_demo",
)
