"""A failed import's report (orgtree's .xlsx: 行号, 列, 问题) with each problem in the catalogue's words.

orgtree keeps up to 100,000 problems per job (``KEPT_ERRORS`` of its importers' frame), a report of a few MB, so
nothing is held whole in memory: the API's file is spooled (to disk past ``SPOOL_BYTES``), read row by row
(openpyxl read-only), written row by row (write-only) into a second spool, and streamed back. The rewriting runs
in a worker thread so that the event loop keeps serving the other pages meanwhile."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from typing import IO, Any

from litestar.response import Stream
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from services.console.api import Api
from services.console.bulk.problems import Gettext, explain

SPOOL_BYTES = 4 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
PROBLEM_HEADER = "问题"  # orgtree's REPORT_HEADERS: 行号, 列, 问题
PASSED_HEADERS = ("content-type", "content-disposition")


def _cell(sheet: WriteOnlyWorksheet, value: object) -> Any:
    """Text stays text, never a formula (a message left as it came may quote a cell starting with '=')."""
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def translate_report(source: IO[bytes], gettext: Gettext) -> IO[bytes]:
    """orgtree's report with its 问题 column translated; the returned spool is at its start, the caller closes it."""
    book = load_workbook(source, read_only=True, data_only=True, keep_links=False)
    out: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - streamed, then closed
    try:
        read = book.worksheets[0]
        written_book = Workbook(write_only=True)
        sheet = written_book.create_sheet(read.title)
        rows = read.iter_rows(values_only=True)
        header = list(next(rows, ()))
        at = header.index(PROBLEM_HEADER) if PROBLEM_HEADER in header else len(header) - 1
        sheet.append([_cell(sheet, value) for value in header])
        for row in rows:
            cells = list(row)
            message = cells[at] if 0 <= at < len(cells) else None
            if isinstance(message, str):
                cells[at] = explain(message, gettext).words
            sheet.append([_cell(sheet, value) for value in cells])
        written_book.save(out)
    except BaseException:
        out.close()
        raise
    finally:
        book.close()
    out.seek(0)
    return out


async def translated_report(api: Api, path: str, gettext: Gettext) -> Stream:
    """The API's report at ``path``, translated, with its file name and media type; a refusal (409: the import has
    not failed) becomes the console's error page before any byte."""
    async with api.stream(path) as response:
        headers = {name: response.headers[name] for name in PASSED_HEADERS if name in response.headers}
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as source:
            async for chunk in response.aiter_bytes():
                source.write(chunk)
            source.seek(0)
            translated = await asyncio.to_thread(translate_report, source, gettext)

    async def body() -> AsyncIterator[bytes]:
        with translated:
            while chunk := translated.read(CHUNK_BYTES):
                yield chunk

    return Stream(body(), media_type=headers.pop("content-type", None), headers=headers)
