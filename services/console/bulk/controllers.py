"""批量导入导出 (``/console/bulk``): an .xlsx or .csv file uploaded and imported by orgtree's worker as a job whose
page shows a progress bar (its fragment polled twice a second) and then the counts, or the rows' problems with
their report as .xlsx; and an export of a unit's subtree (the user's whole scope by default, ``?within=<unit>``),
masked by orgtree. Files pass through with the user's own token; nothing is kept here."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Stream, Template

from services.console.api import Api, ApiError
from services.console.bulk.problems import Gettext, explain
from services.console.bulk.progress import POLL_MS, Bar
from services.console.bulk.report import translated_report
from services.console.bulk.words import (
    CHOOSE_FILE,
    CHOOSE_KIND,
    EXPORTERS,
    IMPORTERS,
    KINDS,
    MAX_FILE_BYTES,
    STATES,
    TABLES,
    TOO_LARGE,
    file_refusal,
)
from services.console.forms import FormErrors
from services.console.i18n import N_, translations
from services.console.training.units import TREES, units
from services.console.training.units import unit as visible_unit
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/bulk"
API = "/api/orgtree"
FILE_HEADERS = ("content-type", "content-disposition", "x-row-count")
Text = Annotated[str, QueryParameter(max_length=40)]


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    return page(request, template, status_code, kinds=KINDS, states=STATES, tables=TABLES, trees=TREES, **context)


def gettext_of(request: AnyRequest) -> Gettext:
    return translations(request.app.state.console.locale).gettext


def job_shown(request: AnyRequest, template: str, job: dict[str, Any]) -> Template:
    """A job with its first problems (and a whole file's refusal) in the catalogue's words."""
    gettext = gettext_of(request)
    problems = [{**e, "problem": explain(str(e.get("message") or ""), gettext)} for e in job.get("errors") or []]
    detail = explain(job["detail"], gettext) if job.get("detail") else None
    return shown(request, template, job=job, problems=problems, detail=detail, bar=Bar.of(job), poll_ms=POLL_MS)


async def passed_on(api: Api, path: str) -> Stream:
    """The API's file passed through as it arrives; a refusal becomes the console's error page before any byte."""
    exits = AsyncExitStack()
    response = await exits.enter_async_context(api.stream(path))
    headers = {name: response.headers[name] for name in FILE_HEADERS if name in response.headers}

    async def body() -> AsyncIterator[bytes]:
        async with exits:
            async for chunk in response.aiter_bytes():
                yield chunk

    return Stream(body(), media_type=headers.pop("content-type", None), headers=headers)


class ImportController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*IMPORTERS)

    async def _form(self, request: AnyRequest, api: Api, status: int = 200, **context: Any) -> Template:
        recent = await api.get(f"{API}/imports/jobs")
        return shown(request, "bulk/import.html", status, recent=recent, errors=FormErrors(), kind="", **context)

    @get("/import")
    async def import_form(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._form(request, api)

    @post("/import", request_max_body_size=MAX_FILE_BYTES + 1024 * 1024)
    async def upload(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        """The file goes to orgtree as it came; orgtree refuses at once what is no sheet, the worker does the rest."""
        form = await request.form()
        kind, upload = str(form.get("kind") or ""), form.get("file")
        errors = FormErrors()
        if kind not in KINDS:
            errors.fields["kind"] = CHOOSE_KIND
        content = await upload.read(MAX_FILE_BYTES + 1) if isinstance(upload, UploadFile) and upload.filename else b""
        if not content:
            errors.fields["file"] = CHOOSE_FILE
        elif len(content) > MAX_FILE_BYTES:
            errors.fields["file"] = TOO_LARGE
        if errors:
            return await self._form(request, api, 422, errors=errors, kind=kind)
        headers = {"content-type": "application/octet-stream"}
        try:
            job = await api.call("POST", f"{API}/imports/{kind}/jobs", content=content, headers=headers)
        except ApiError as refused:
            if refused.status not in (413, 422):
                raise
            errors.fields["file"] = file_refusal(refused.fields.get("file") or refused.detail)
            return await self._form(request, api, 422, errors=errors, kind=kind)
        return Redirect(f"{HOME}/jobs/{job['id']}", status_code=303)

    @get("/jobs/{job_id:uuid}")
    async def job(self, request: AnyRequest, api: NamedDependency[Api], job_id: FromPath[UUID]) -> Template:
        return job_shown(request, "bulk/job.html", await api.get(f"{API}/imports/jobs/{job_id}"))

    @get("/jobs/{job_id:uuid}/progress")
    async def progress(self, request: AnyRequest, api: NamedDependency[Api], job_id: FromPath[UUID]) -> Template:
        """The polled part: once the job has finished it carries no trigger, so the polling stops."""
        return job_shown(request, "bulk/progress.html", await api.get(f"{API}/imports/jobs/{job_id}"))

    @get("/jobs/{job_id:uuid}/report.xlsx")
    async def report(self, request: AnyRequest, api: NamedDependency[Api], job_id: FromPath[UUID]) -> Stream:
        """orgtree's report with its problems in the catalogue's words (``report.py``)."""
        return await translated_report(api, f"{API}/imports/jobs/{job_id}/problems", gettext_of(request))


class ExportController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*EXPORTERS)

    @get("/export")
    async def export_form(
        self, request: AnyRequest, api: NamedDependency[Api], kind: Text = "members", within: Text = ""
    ) -> Template:
        """The kinds, and the units of the user's scope (its tops and the units right under them); a unit named by
        ``?within=`` (from a unit's page) is offered and chosen even when it lies deeper."""
        choices = await units(api)
        chosen = await visible_unit(api, within) if within else None
        listed = {u.id for group in choices.values() for u in group}
        return shown(
            request,
            "bulk/export.html",
            units=choices,
            kind=kind if kind in KINDS else "members",
            within=chosen,
            deeper=chosen if chosen is not None and chosen["id"] not in listed else None,
        )

    @get("/export.xlsx")
    async def export_file(self, api: NamedDependency[Api], kind: Text = "members", within: Text = "") -> Stream:
        query = {"format": "xlsx", **({"within": within} if within else {})}
        return await passed_on(api, f"{API}/exports/{kind if kind in KINDS else 'members'}?{urlencode(query)}")


CONTROLLERS: list[type[Controller]] = [ImportController, ExportController]
NAV: list[NavEntry] = [
    NavEntry(f"{HOME}/import", N_("Bulk import"), IMPORTERS),
    NavEntry(f"{HOME}/export", N_("Bulk export"), EXPORTERS),
]
