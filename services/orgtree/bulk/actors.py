"""The import job's handler on orgtree's own queue (``ImportQueued``, published by ``POST .../imports/{kind}/jobs``)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.bulk.runner import progress_sessions, run_import_job
from services.orgtree.events import consumer
from shared.contracts.orgtree import ImportQueued


@consumer.on(ImportQueued)
async def import_queued_sheet(session: AsyncSession, event: ImportQueued) -> None:
    await run_import_job(session, event.job_id, progress_sessions(consumer.settings))
