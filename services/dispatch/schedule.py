"""Periodic sweeps of the dispatch service (run by ``redcell scheduler``): clocks are rows, swept here."""

from services.dispatch import SERVICE
from shared.scheduler import Job, prune_published_outbox

JOBS: list[Job] = [prune_published_outbox(SERVICE)]
