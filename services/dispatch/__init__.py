"""Dispatch service: the 96345-style hotline, its orders and cases, clocks, escalation and closure."""

from shared.components import Component

SERVICE = "dispatch"
COMPONENT = Component(
    name=SERVICE,
    package="services.dispatch",
    port=8102,
    app="services.dispatch.app:create_app",
    worker="services.dispatch.worker",
    schedule="services.dispatch.schedule",
    demo="services.dispatch.demo.loader:load_demo",
)
