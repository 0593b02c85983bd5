"""Events between services: transactional outbox, relay to dramatiq, idempotent consumers.

``outbox.publish`` (producer, in the business transaction) → ``relay.OutboxRelay`` (``redcell relay``)
→ Redis → ``consumer.EventConsumer`` actor (``redcell worker``), on a broker from ``broker.make_broker``
whose ``middleware`` binds the message's tenant and request id for the actor.
"""
