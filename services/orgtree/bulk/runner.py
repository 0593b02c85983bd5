"""Imports run as jobs (the worker's side): ``ImportQueued`` checks and stores the job's file as the synchronous
import does, in the handler's one transaction, while a reporter writes the job's progress on a connection of
its own, committed as it goes, so the requester's page sees it move while the import's transaction is open.

The outcome (counts, or the problems) is written in the import's transaction: the rows and "succeeded" commit
together, and a failed import leaves only its report. Either way the file is dropped from the row.
"""

from __future__ import annotations

import asyncio
import time
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.orgtree import SERVICE
from services.orgtree.bulk.columns import BulkKind
from services.orgtree.bulk.importers.frame import Progress, RejectedRowsError
from services.orgtree.bulk.models import ImportJob, ImportState
from services.orgtree.bulk.services import BulkService
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import actor_scope, require_tenant
from shared.db.cells import CellEngines, cell_sessionmaker
from shared.http.di import build_service
from shared.http.problems import ProblemError
from shared.logging import get_logger
from shared.settings import Settings

log = get_logger(__name__)
REPORT_EVERY_S = 0.25  # the page polls twice a second; this keeps what it reads at most a quarter second old
_progress_engines: dict[tuple[int, int], CellEngines] = {}


def progress_sessions(settings: Settings) -> async_sessionmaker[AsyncSession]:
    """Sessions on connections apart from the import's (one pool per settings and event loop: a worker has one)."""
    key = (id(settings), id(asyncio.get_running_loop()))
    if key not in _progress_engines:
        _progress_engines[key] = CellEngines(settings, SERVICE, "app", pool_size=1, max_overflow=2)
    return cell_sessionmaker(_progress_engines[key])


class JobProgress(Progress):
    """Writes ``checked``/``stored`` (and the state they belong to) at most every ``REPORT_EVERY_S``."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], job_id: UUID) -> None:
        self.sessions = sessions
        self.job_id = job_id
        self.written_at = 0.0
        self.state = ImportState.CHECKING
        self.total: int | None = None

    async def write(self, *, force: bool = False, **values: object) -> None:
        moment = time.monotonic()
        if not force and moment - self.written_at < REPORT_EVERY_S:
            return
        self.written_at = moment
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(ImportJob).where(ImportJob.id == self.job_id).values(progressed_at=func.now(), **values)
            )

    async def start(self) -> None:
        await self.write(force=True, state=ImportState.CHECKING, started_at=now())

    async def checking(self, checked: int, total: int | None) -> None:
        final = checked > 0 and checked == total  # the last count of the check is always written
        self.total = total if total is not None else self.total
        await self.write(force=final, checked=checked, total=self.total)

    async def storing(self, stored: int, total: int) -> None:
        rows = self.total or total
        shown = rows if total == 0 else rows * stored // total  # importers count their own rows (units: new ones)
        if self.state != ImportState.STORING:
            self.state = ImportState.STORING
            await self.write(force=True, state=ImportState.STORING, stored=shown)
        else:
            await self.write(force=stored == total, stored=shown)


def requester(job: ImportJob) -> Principal:
    """The caller as its token said when it sent the file: the import sees and may add exactly what it could."""
    return Principal(
        user_id=job.requested_by,
        tenant_id=job.tenant_id,
        roles=frozenset(filter(None, job.requester_roles.split(","))),
        scope=job.requester_scope,
        name=job.requester_name,
    )


async def run_import_job(session: AsyncSession, job_id: UUID, sessions: async_sessionmaker[AsyncSession]) -> None:
    """Carry out the job in ``session``'s transaction (the caller commits); a finished one is left as it is."""
    job = await session.get(ImportJob, job_id)
    if job is None or job.state in ImportState.FINISHED:
        return
    body = await session.scalar(select(ImportJob.content).where(ImportJob.id == job_id))
    if body is None:
        return
    progress = JobProgress(sessions, job_id)
    await progress.start()
    principal = requester(job)
    outcome: dict[str, object]
    with actor_scope(job.requested_by, principal.roles):
        try:
            async with session.begin_nested():  # undone on any problem: nothing of a bad file stays
                result = await build_service(BulkService, session, principal).import_sheet(
                    BulkKind(job.kind), body, dry_run=job.dry_run, progress=progress
                )
        except RejectedRowsError as rejected:
            problems = rejected.report.sorted_items()
            outcome = {"state": ImportState.FAILED, "errors": problems, "error_count": rejected.report.count}
            outcome["detail"] = str(rejected.detail)[:500]
        except ProblemError as refused:  # the file as a whole (unreadable, too many rows)
            outcome = {"state": ImportState.FAILED, "detail": str(refused.detail)[:500], "error_count": 1}
        else:
            outcome = {
                "state": ImportState.SUCCEEDED,
                "created": result.created,
                "unchanged": result.unchanged,
                "file_format": result.format,
                "total": result.rows,
                "checked": result.rows,
                "stored": 0 if result.dry_run else result.rows,
            }
    await session.execute(
        update(ImportJob).where(ImportJob.id == job_id).values(content=None, finished_at=now(), **outcome)
    )
    log.info("import job finished", job_id=str(job_id), tenant=str(require_tenant()), state=outcome["state"])
