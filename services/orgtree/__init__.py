"""Organisation tree service: the district's administrative and party trees, members and households."""

from shared.components import Component

SERVICE = "orgtree"
COMPONENT = Component(
    name=SERVICE,
    package="services.orgtree",
    port=8101,
    app="services.orgtree.app:create_app",
    worker="services.orgtree.worker",
    schedule="services.orgtree.schedule",
    demo="services.orgtree.demo.loader:load_demo",
)
