"""The web console: server-rendered pages (Litestar, Jinja2, htmx) that call the services' APIs through the
gateway with the signed-in user's own token. It owns no business data, database, worker or schedule."""

from shared.components import Component

SERVICE = "console"
COMPONENT = Component(
    name=SERVICE,
    package="services.console",
    port=8110,
    app="services.console.app:create_app",
    database=False,
)
