"""Imports that stopped moving: a job whose progress has not changed for ``STALLED_AFTER`` is marked failed, so its
page stops waiting and tells the requester to import the file again.

A job stops when its worker is killed again and again on it (a file too large for the worker's memory) or fails
until its message is dead-lettered: the row would otherwise stay "checking" for ever. A live import writes its
progress every quarter second, and a queued one waits behind at most a few imports, so a quarter of an hour without
a change means nobody is working on it. If the import still commits afterwards, its outcome is written over this one.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree import SERVICE
from services.orgtree.bulk.models import ImportJob, ImportState
from shared.clock import now
from shared.logging import get_logger
from shared.scheduler import Job, apply_each, due_across_districts
from shared.settings import Settings

log = get_logger(__name__)
ACTOR = "system:orgtree-scheduler"
STALLED_AFTER = timedelta(minutes=15)
STALLED = "the import stopped: its progress has not changed for 15 minutes; import the file again"
BATCH = 100

# Across districts, on the partial index ix_import_job_unfinished.
_DUE = text(
    "SELECT id, tenant_id FROM import_job WHERE state IN ('queued', 'checking', 'storing') "
    "AND progressed_at < now() - make_interval(secs => :after) ORDER BY progressed_at LIMIT :n"
)


async def mark_stalled(session: AsyncSession, job_id: UUID) -> int:
    job = await session.scalar(
        select(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.state.not_in(ImportState.FINISHED))
        .with_for_update(skip_locked=True)
    )
    if job is None or job.progressed_at > now() - STALLED_AFTER:
        return 0
    job.state, job.detail, job.error_count = ImportState.FAILED, STALLED, 1
    job.content, job.finished_at = None, now()
    log.warning("import job stalled", job_id=str(job.id), since=job.progressed_at.isoformat())
    return 1


async def sweep_stalled_imports(settings: Settings) -> int:
    query = _DUE.bindparams(after=STALLED_AFTER.total_seconds(), n=BATCH)
    due = await due_across_districts(settings, SERVICE, query)
    return await apply_each(settings, SERVICE, [(row.tenant_id, row.id) for row in due], mark_stalled, actor=ACTOR)


JOBS: list[Job] = [Job(f"{SERVICE}.stalled_imports", 60, sweep_stalled_imports)]
