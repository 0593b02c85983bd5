from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Stream

from services.orgtree.bulk.columns import SHEET_TITLES, BulkKind
from services.orgtree.bulk.formats import MEDIA_TYPES, XLSX_MEDIA_TYPE, ExportFormat, iter_chunks
from services.orgtree.bulk.jobs import ImportJobService, job_view
from services.orgtree.bulk.schemas import ImportJobView, ImportProblems, ImportReport
from services.orgtree.bulk.services import BulkService
from shared.auth.principal import Role
from shared.clock import china_today
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

IMPORTERS = (Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_CADRE)
EXPORTERS = (*IMPORTERS, Role.GRID_LEADER)
MAX_IMPORT_BYTES = 64 * 1024 * 1024  # about 400,000 member rows of .xlsx; the app's default stays small

IMPORT_DESCRIPTION = """\
Send the file itself as the request body (not multipart): an .xlsx workbook or a .csv file (UTF-8, with or
without BOM; GB18030 as Excel writes it on Chinese Windows is accepted too). The format is read from the
file's bytes, so the Content-Type may be anything. Row 1 holds the zh-CN column headers an export of the same
kind has; units are named by their path of names below the district's root (`瑶溪街道/上河村/第一网格`,
`瑶溪街道党工委/上河村党支部`), members by ID number, households by grid and label (户号).

Every row is checked first. Any problem: 422 with `errors: [{row, column, message}]` (row numbers as Excel
shows them, the header being row 1) and nothing stored. `dryRun=true` only checks. A unit outside the
caller's scope is reported as not found, like a missing one."""

JOB_DESCRIPTION = """\
The same import, run by orgtree's worker so that a page can show its progress: send the file as the body (as
for `POST /imports/{kind}`); a body that is no sheet at all (a PDF, a picture, a damaged workbook) is a 422
at once, a file over 64 MiB a 413. The answer (202) is the job: poll `GET /imports/jobs/{id}` for its `state`
and counts. The rows are checked and stored in one transaction as the synchronous import does: any bad row
and nothing is stored, the job ends `failed` with its problems, and `GET /imports/jobs/{id}/report` has them
all as an .xlsx sheet (行号, 列, 问题). The file is kept with the job until it ends."""


def content_disposition(kind: BulkKind, file_format: str) -> str:
    stamp = china_today().strftime("%Y%m%d")
    ascii_name = f"redcell-{kind.value}-{stamp}.{file_format}"
    local_name = quote(f"{SHEET_TITLES[kind]}-{stamp}.{file_format}")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{local_name}"


class BulkController(Controller):
    path = "/api/orgtree"
    tags = ["Bulk import and export"]
    guards = [requires_tenant]
    dependencies = {"bulk": provide_service(BulkService), "jobs": provide_service(ImportJobService)}

    @post(
        "/imports/{kind:str}",
        operation_id="ImportSheet",
        status_code=200,
        summary="Import units, members, households or links from an .xlsx or .csv file sent as the raw body",
        description=IMPORT_DESCRIPTION,
        guards=[requires_role(*IMPORTERS)],
        request_max_body_size=MAX_IMPORT_BYTES,
    )
    async def import_sheet(
        self,
        request: Request[Any, Any, Any],
        bulk: NamedDependency[BulkService],
        kind: FromPath[BulkKind],
        dry_run: Annotated[bool, QueryParameter(name="dryRun")] = False,
    ) -> ImportReport:
        return view(ImportReport, await bulk.import_sheet(kind, await request.body(), dry_run=dry_run))

    @post(
        "/imports/{kind:str}/jobs",
        operation_id="QueueImport",
        status_code=202,
        summary="Queue an import of an .xlsx or .csv file sent as the raw body; its progress is polled",
        description=JOB_DESCRIPTION,
        guards=[requires_role(*IMPORTERS)],
        request_max_body_size=MAX_IMPORT_BYTES,
    )
    async def queue_import(
        self,
        request: Request[Any, Any, Any],
        jobs: NamedDependency[ImportJobService],
        kind: FromPath[BulkKind],
        dry_run: Annotated[bool, QueryParameter(name="dryRun")] = False,
    ) -> ImportJobView:
        return job_view(await jobs.queue(kind, await request.body(), dry_run=dry_run))

    @get(
        "/imports/jobs",
        operation_id="ListImportJobs",
        summary="The caller's latest import jobs, newest first",
        guards=[requires_role(*IMPORTERS)],
    )
    async def list_import_jobs(self, jobs: NamedDependency[ImportJobService]) -> list[ImportJobView]:
        return [job_view(job) for job in await jobs.recent()]

    @get(
        "/imports/jobs/{job_id:uuid}",
        operation_id="GetImportJob",
        summary="An import job: its state, progress (checked and stored of total) and outcome",
        guards=[requires_role(*IMPORTERS)],
    )
    async def get_import_job(self, jobs: NamedDependency[ImportJobService], job_id: FromPath[UUID]) -> ImportJobView:
        return job_view(await jobs.get(job_id))

    @get(
        "/imports/jobs/{job_id:uuid}/problems",
        operation_id="GetImportProblems",
        summary="A failed import's problems (every one kept) as JSON; 409 while it runs or if it succeeded",
        guards=[requires_role(*IMPORTERS)],
    )
    async def get_import_problems(
        self, jobs: NamedDependency[ImportJobService], job_id: FromPath[UUID]
    ) -> ImportProblems:
        return await jobs.problems(job_id)

    @get(
        "/imports/jobs/{job_id:uuid}/report",
        operation_id="GetImportReport",
        summary="A failed import's problems as an .xlsx sheet (行号, 列, 问题); 409 while it runs or if it succeeded",
        guards=[requires_role(*IMPORTERS)],
    )
    async def get_import_report(self, jobs: NamedDependency[ImportJobService], job_id: FromPath[UUID]) -> Stream:
        report = await jobs.report(job_id)
        stamp = china_today().strftime("%Y%m%d")
        local_name = quote(f"导入错误-{stamp}.xlsx")
        disposition = f"attachment; filename=\"import-errors-{stamp}.xlsx\"; filename*=UTF-8''{local_name}"
        return Stream(iter_chunks(report), media_type=XLSX_MEDIA_TYPE, headers={"Content-Disposition": disposition})

    @get(
        "/exports/{kind:str}",
        operation_id="ExportSheet",
        summary="Export the caller's units, members, households or links as .xlsx or .csv, personal data masked",
        guards=[requires_role(*EXPORTERS)],
    )
    async def export_sheet(
        self,
        bulk: NamedDependency[BulkService],
        kind: FromPath[BulkKind],
        file_format: Annotated[ExportFormat, QueryParameter(name="format")] = "xlsx",
        within: Annotated[UUID | None, QueryParameter(name="within")] = None,
    ) -> Stream:
        exported = await bulk.export_sheet(kind, file_format, within)
        return Stream(
            iter_chunks(exported.content),
            media_type=MEDIA_TYPES[file_format],
            headers={"Content-Disposition": content_disposition(kind, file_format), "X-Row-Count": str(exported.rows)},
        )
