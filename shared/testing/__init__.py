"""pytest plugin and helpers: real servers on loopback, service databases, tenants and tokens."""
