"""The gateway: identity, the tenant registry, the proxy to every service and the merged API description."""

from shared.components import Component

COMPONENT = Component(
    name="gateway",
    package="gateway",
    port=8000,
    app="gateway.app:create_app",
    worker="gateway.worker",
    schedule="gateway.schedule",
    demo="gateway.demo:load_demo",
    commands="gateway.cli:add_commands",
    placed=False,  # the registry of districts and cells itself: on ``main``
)
