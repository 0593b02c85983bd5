"""Periodic jobs of the training service (run by ``redcell scheduler``)."""

from services.training import SERVICE
from services.training.points.sweeps import JOBS as POINTS_JOBS
from shared.scheduler import Job, prune_published_outbox

JOBS: list[Job] = [
    prune_published_outbox(SERVICE),
    *POINTS_JOBS,
]
