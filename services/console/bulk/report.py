"""A failed import's report as .xlsx (行号, 列, 问题), each problem in the catalogue's words.

The console writes it from orgtree's problems as JSON (``GET .../imports/jobs/{id}/problems``; up to 100,000 kept)
rather than rewriting orgtree's own .xlsx: reading a sheet back costs more than writing one (13 s against 4 s for
100,000 problems). The workbook is written row by row (write-only) into a spooled file, in a worker thread so that
the event loop keeps serving the other pages, and streamed from there."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from typing import IO, Any

from litestar.response import Stream
from openpyxl import Workbook

from services.console.api import Api
from services.console.bulk.problems import Gettext, explain
from services.console.reports.workbook import XLSX, text_cell
from shared.clock import china_today
from shared.storage.content import content_disposition

SPOOL_BYTES = 4 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
TITLE = "错误报告"
HEADERS = ("行号", "列", "问题")  # as orgtree's own report has them


def write_report(problems: dict[str, Any], gettext: Gettext) -> IO[bytes]:
    """The problems as a sheet; the returned spool is at its start, the caller closes it."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(TITLE)
    sheet.append(list(HEADERS))
    for problem in problems["errors"]:
        sheet.append([problem["row"], problem["column"], text_cell(sheet, explain(problem["message"], gettext).words)])
    if not problems["errors"] and problems.get("detail"):  # the file as a whole could not be read
        sheet.append([None, "", text_cell(sheet, explain(problems["detail"], gettext).words)])
    out: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - streamed, then closed
    try:
        book.save(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


async def translated_report(api: Api, path: str, gettext: Gettext) -> Stream:
    """The job's problems at ``path`` as a report; a refusal (409: the import has not failed, 404) becomes the
    console's error page."""
    written = await asyncio.to_thread(write_report, await api.get(path), gettext)
    stamp = china_today().strftime("%Y%m%d")
    disposition = content_disposition(f"导入错误-{stamp}.xlsx")

    async def body() -> AsyncIterator[bytes]:
        with written:
            while chunk := written.read(CHUNK_BYTES):
                yield chunk

    return Stream(body(), media_type=XLSX, headers={"Content-Disposition": disposition})
