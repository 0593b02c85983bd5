"""Periodic jobs of the documents service (run by ``redcell scheduler``)."""

from services.documents import SERVICE
from services.documents.files.sweep import JOBS as FILE_JOBS
from shared.scheduler import Job, prune_published_outbox

JOBS: list[Job] = [
    prune_published_outbox(SERVICE),
    *FILE_JOBS,
]
