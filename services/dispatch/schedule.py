"""Periodic sweeps of the dispatch service (run by ``redcell scheduler``): clocks are rows, swept here."""

from services.dispatch import SERVICE
from services.dispatch.city_figures.publish import JOBS as CITY_FIGURES_JOBS
from services.dispatch.deadlines import sweeps as deadline_sweeps
from services.dispatch.notifications import sweeps as delivery_sweeps
from services.dispatch.routing import sweeps as offer_sweeps
from shared.scheduler import Job, prune_published_outbox

JOBS: list[Job] = [
    prune_published_outbox(SERVICE),
    *offer_sweeps.JOBS,
    *deadline_sweeps.JOBS,
    *delivery_sweeps.JOBS,
    *CITY_FIGURES_JOBS,
]
