"""Events between services: transactional outbox, relay to dramatiq, idempotent consumers."""
