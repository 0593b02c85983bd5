"""Imports run as jobs (the API's side): the file is checked to be a sheet and kept in a row, the worker is told
through the outbox, and the row is read back for its progress, outcome and error report.

A job is its requester's: another user of the district (a district admin apart) gets the same 404 as for a
missing id, because the report's messages quote the sheet's cells.
"""

from __future__ import annotations

from typing import IO
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.bulk.columns import SHEET_TITLES, BulkKind
from services.orgtree.bulk.formats import SheetWriter, open_table
from services.orgtree.bulk.models import ImportJob, ImportState
from services.orgtree.bulk.schemas import ImportJobView, ImportProblems, RowProblem
from shared.auth.principal import Principal, Role
from shared.context import require_tenant
from shared.contracts.orgtree import ImportQueued
from shared.db.repository import Repository
from shared.http.problems import conflict
from shared.http.views import view
from shared.messaging.outbox import publish

SHOWN_ERRORS = 20  # the first problems, in the job's view; the report has all
RECENT_JOBS = 10
REPORT_TITLE = "错误报告"
REPORT_HEADERS = ("行号", "列", "问题")


class ImportJobRepository(Repository[ImportJob]):
    model_type = ImportJob
    noun = "import job"


def job_view(job: ImportJob) -> ImportJobView:
    shown = [RowProblem(**problem) for problem in job.errors[:SHOWN_ERRORS]]
    return view(ImportJobView, job, format=job.file_format, errors=shown)


class ImportJobService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.jobs = ImportJobRepository(session)

    def _visible(self, job: ImportJob) -> bool:
        return job.requested_by == self.principal.user_id or self.principal.has_role(Role.DISTRICT_ADMIN)

    async def queue(self, kind: BulkKind, body: bytes, *, dry_run: bool) -> ImportJob:
        """Keep the file for the worker; a body that is no sheet at all is refused here, at once (422)."""
        table = open_table(body, SHEET_TITLES[kind])  # reads the container and the header row only
        job = ImportJob(
            tenant_id=require_tenant(),
            kind=kind.value,
            dry_run=dry_run,
            state=ImportState.QUEUED,
            content=body,
            size=len(body),
            file_format=table.file_format,
            total=table.estimated_rows,
            checked=0,
            stored=0,
            created={},
            unchanged=0,
            error_count=0,
            errors=[],
            requested_by=self.principal.user_id,
            requester_name=self.principal.name,
            requester_roles=",".join(sorted(self.principal.roles)),
            requester_scope=self.principal.scope,
        )
        self.session.add(job)
        await self.session.flush()
        await publish(self.session, ImportQueued(tenant_id=job.tenant_id, job_id=job.id))
        return job

    async def get(self, job_id: UUID) -> ImportJob:
        return await self.jobs.get_or_404(job_id, visible=self._visible)

    async def recent(self) -> list[ImportJob]:
        """The requester's latest jobs, newest first."""
        query = (
            select(ImportJob)
            .where(ImportJob.requested_by == self.principal.user_id)
            .order_by(ImportJob.created_at.desc())
            .limit(RECENT_JOBS)
        )
        return list(await self.session.scalars(query))

    async def failed(self, job_id: UUID) -> ImportJob:
        """A failed job, whose problems may be read (409 for any other)."""
        job = await self.get(job_id)
        if job.state != ImportState.FAILED:
            raise conflict(f"the import is {job.state}: only a failed import has an error report")
        return job

    async def problems(self, job_id: UUID) -> ImportProblems:
        job = await self.failed(job_id)
        return ImportProblems(errors=[RowProblem(**problem) for problem in job.errors], detail=job.detail)

    async def report(self, job_id: UUID) -> IO[bytes]:
        """Every problem the job kept, as an .xlsx sheet: 行号, 列, 问题."""
        job = await self.failed(job_id)
        writer = SheetWriter("xlsx", REPORT_TITLE, REPORT_HEADERS)
        for problem in job.errors:
            writer.append([problem["row"], problem["column"], problem["message"]])
        if not job.errors and job.detail:  # the file as a whole could not be read
            writer.append([None, "", job.detail])
        return writer.finish()
