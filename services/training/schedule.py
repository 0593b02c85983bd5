"""Periodic jobs of the training service (run by ``redcell scheduler``)."""

from services.training import SERVICE
from services.training.care.sweeps import JOBS as CARE_JOBS
from services.training.city_figures.publish import JOBS as CITY_FIGURES_JOBS
from services.training.points.sweeps import JOBS as POINTS_JOBS
from services.training.reports.sweeps import JOBS as REPORTS_JOBS
from services.training.xapi.push import JOBS as XAPI_JOBS
from shared.scheduler import Job, prune_published_outbox

JOBS: list[Job] = [
    prune_published_outbox(SERVICE),
    *POINTS_JOBS,
    *CARE_JOBS,
    *XAPI_JOBS,
    *REPORTS_JOBS,
    *CITY_FIGURES_JOBS,
]
