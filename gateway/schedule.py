"""Periodic sweeps of the gateway (run by ``redcell scheduler``)."""

from shared.scheduler import Job, prune_published_outbox

JOBS: list[Job] = [prune_published_outbox("gateway")]
