"""Reading and writing sheets: .xlsx through openpyxl's streaming modes, .csv as UTF-8 (GB18030 accepted).

The format of an upload is decided by its bytes, not by the client's Content-Type: a ZIP container is
read as .xlsx, anything else as CSV. Exports are written to a spooled temporary file (memory up to a
few MiB, then disk) and streamed from there, so a large export never sits in memory whole.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from services.orgtree.bulk.columns import safe_text
from shared.http.problems import ProblemError

ExportFormat = Literal["xlsx", "csv"]
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
MEDIA_TYPES: dict[str, str] = {"xlsx": XLSX_MEDIA_TYPE, "csv": CSV_MEDIA_TYPE}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
# Files people pick by mistake (PDF, pictures): CSV is the fallback for anything that is not a ZIP, so these are
# named before the bytes are read as text. A NUL byte is never in a text file either.
_NOT_SHEETS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")
_SNIFF_BYTES = 8192
_BOM = "\ufeff"
SPOOL_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024

Cells = Sequence[object]


def file_problem(message: str) -> ProblemError:
    return ProblemError(422, message, errors=[{"field": "file", "message": message}], title="Unreadable file")


@dataclass
class Table:
    """A sheet: its header cells and its data rows as (row number as Excel shows it, cells)."""

    file_format: ExportFormat
    headers: list[str | None]
    rows: Iterator[tuple[int, Cells]]
    estimated_rows: int | None = None  # data rows as the file declares them (a sheet's dimension, lines)


def open_table(body: bytes, sheet_title: str) -> Table:
    if not body.strip():
        raise file_problem("the request body is empty; send the .xlsx or .csv file as the body")
    if body.startswith(_ZIP_MAGIC):
        return _open_xlsx(body, sheet_title)
    if body.startswith(_OLE_MAGIC):
        raise file_problem("legacy .xls files are not read; save the sheet as .xlsx or .csv")
    if body.startswith(_NOT_SHEETS) or b"\x00" in body[:_SNIFF_BYTES]:
        raise file_problem("not a spreadsheet; send an .xlsx workbook or a .csv file")
    return _open_csv(body)


def _open_xlsx(body: bytes, sheet_title: str) -> Table:
    try:
        reader = ExcelReader(io.BytesIO(body), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)  # number formats: which numbers are dates
        sheets = {
            sheet.name: rel.target
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        }
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
        raise file_problem(f"not a readable .xlsx file ({type(exc).__name__})") from None
    if not sheets:
        raise file_problem("the .xlsx file holds no worksheet")
    # The sheet named like the kind (an export's), else the first one.
    title = sheet_title if sheet_title in sheets else next(iter(sheets))
    sheet = _UnsizedSheet(reader.wb, title, sheets[title], reader.shared_strings)
    rows = sheet.iter_rows(values_only=True)  # type: ignore[misc]  # borrowed from Worksheet, typed with its self
    header = next(rows, ())

    def data() -> Iterator[tuple[int, Cells]]:
        number = 1
        try:
            for number, cells in enumerate(rows, start=2):
                yield number, cells
        except (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:  # XML's ParseError too
            # a sheet cut short or damaged after its header (the header was read when the job was queued)
            raise file_problem(f"the sheet cannot be read after row {number} ({type(exc).__name__})") from None
        finally:
            reader.archive.close()

    return Table("xlsx", [_header(cell) for cell in header], data(), max(_count_row_tags(body, sheets[title]) - 1, 0))


class _UnsizedSheet(ReadOnlyWorksheet):
    """A read-only sheet opened without sizing it first.

    openpyxl sizes a read-only sheet as it opens it, from the sheet's ``<dimension>``; it learns that a sheet has
    none only at the end of ``<sheetData>``, so a sheet written without one (openpyxl's own write-only output) is
    parsed whole before its first row is read: 3.5 s for 100,000 rows, during which an import's progress stood
    still. A writer's dimension is not trusted anyway: rows are read to the sheet's end and counted by their tags.
    """

    def _get_size(self) -> None:
        self.reset_dimensions()


def _count_row_tags(body: bytes, part: str) -> int:
    """The rows a sheet's XML holds (blank ones too), for the progress of an import: inflated chunk by chunk."""
    counted, tail = 0, b""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive, archive.open(part) as xml:
            while chunk := xml.read(CHUNK_BYTES * 16):
                joined = tail + chunk
                counted += joined.count(b"<row ") + joined.count(b"<row>")
                tail = joined[-5:]  # a tag cut by the chunk's end is counted with the next one
                counted -= tail.count(b"<row ") + tail.count(b"<row>")
            counted += tail.count(b"<row ") + tail.count(b"<row>")
    except (KeyError, zipfile.BadZipFile, OSError):
        return 0
    return counted


def _open_csv(body: bytes) -> Table:
    try:
        content = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # what Excel on a Chinese Windows writes as "CSV"
            content = body.decode("gb18030")
        except UnicodeDecodeError:
            raise file_problem("a .csv file must be UTF-8 (or GB18030) text") from None
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise file_problem(f"not a readable .csv file: {exc}") from None

    def data() -> Iterator[tuple[int, Cells]]:
        try:
            for cells in reader:
                yield reader.line_num, cells
        except csv.Error as exc:
            raise file_problem(f"line {reader.line_num} of the .csv file is malformed: {exc}") from None

    return Table("csv", [_header(cell) for cell in header], data(), max(content.count("\n") - 1, 0))


def _header(cell: object) -> str | None:
    if cell is None:
        return None
    # "姓名*" and "姓名 " are the same column; templates mark required columns with a star.
    return str(cell).strip().rstrip("*").strip() or None


class SheetWriter:
    """Rows into a spooled file as .xlsx (write-only workbook) or .csv (UTF-8 with BOM so Excel reads it)."""

    def __init__(self, file_format: ExportFormat, title: str, headers: Sequence[str]) -> None:
        self.file_format = file_format
        self.rows = 0
        self._spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - streamed later
        if file_format == "xlsx":
            self._workbook = Workbook(write_only=True)
            self._sheet = self._workbook.create_sheet(title)
            self._sheet.append(list(headers))
        else:
            self._text = io.TextIOWrapper(self._spool, encoding="utf-8", newline="", write_through=True)
            self._text.write(_BOM)
            self._csv = csv.writer(self._text)
            self._csv.writerow(headers)

    def append(self, cells: Sequence[object]) -> None:
        self.rows += 1
        if self.file_format == "xlsx":
            self._sheet.append([self._xlsx_cell(value) for value in cells])
        else:
            self._csv.writerow([self._csv_cell(value) for value in cells])

    def _xlsx_cell(self, value: object) -> Any:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(self._sheet, value=value)
            cell.data_type = "s"  # text, never a formula
            return cell
        return value

    @staticmethod
    def _csv_cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, date):
            return value.isoformat()
        return safe_text(str(value))

    def finish(self) -> IO[bytes]:
        """The finished file, positioned at its start; the caller closes it."""
        if self.file_format == "xlsx":
            self._workbook.save(self._spool)
        else:
            self._text.flush()
            self._text.detach()
        self._spool.seek(0)
        return self._spool

    def discard(self) -> None:
        self._spool.close()


def iter_chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk
    finally:
        spool.close()
