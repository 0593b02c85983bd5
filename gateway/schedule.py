"""Periodic sweeps of the gateway (run by ``redcell scheduler``)."""

from gateway.tenants.placement import MIRROR_INTERVAL_S, mirror_sweep
from shared.scheduler import Job, prune_published_outbox

JOBS: list[Job] = [
    prune_published_outbox("gateway"),
    Job("gateway.mirror_placement", MIRROR_INTERVAL_S, mirror_sweep),  # the database cells' registry in Redis
]
