"""A report's tables as an .xlsx workbook: one sheet per table, the headers as the page shows them, the figures as
numbers (names as text, never run as a formula). Report tables are aggregates of a few hundred lines at most, so the
workbook is built in memory."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from services.console.reports.figures import Line, Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet's name


def text_cell(sheet: WriteOnlyWorksheet, value: str) -> Any:  # a WriteOnlyCell (a factory function, not a type)
    """Text kept as text: a value starting with '=' is never run as a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _row(sheet: WriteOnlyWorksheet, line: Line) -> list[Any]:
    return [text_cell(sheet, line.name), *(text_cell(sheet, c) if isinstance(c, str) else c for c in line.cells)]


def workbook(tables: list[Table]) -> bytes:
    book = Workbook(write_only=True)
    for number, table in enumerate(tables, start=1):
        sheet = book.create_sheet(f"{number} {SHEET_NAME.sub('_', table.title)}"[:31])
        sheet.append([text_cell(sheet, header) for header in table.headers])
        for line in table.lines:
            sheet.append(_row(sheet, line))
        if table.total:
            sheet.append(_row(sheet, table.total))
        if table.note:
            sheet.append([text_cell(sheet, table.note)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
