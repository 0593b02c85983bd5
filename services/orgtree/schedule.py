"""Periodic sweeps of the orgtree service (run by ``redcell scheduler``)."""

from services.orgtree import SERVICE
from services.orgtree.bulk.stalls import JOBS as IMPORT_JOBS
from services.orgtree.city_figures.publish import JOBS as CITY_FIGURES_JOBS
from shared.scheduler import Job, prune_published_outbox

JOBS: list[Job] = [prune_published_outbox(SERVICE), *IMPORT_JOBS, *CITY_FIGURES_JOBS]
