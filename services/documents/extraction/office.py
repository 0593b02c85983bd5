"""Text of PDF, Word (.docx) and Excel (.xlsx) files, each read with the library made for it.

Every reader stops once it has ``limit`` characters: a 2,000-page PDF is indexed by its beginning.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator


def _joined(pieces: Iterable[str], limit: int) -> str:
    taken: list[str] = []
    size = 0
    for piece in pieces:
        if not piece:
            continue
        taken.append(piece)
        size += len(piece) + 1
        if size >= limit:
            break
    return "\n".join(taken)[:limit]


def pdf_text(data: bytes, limit: int) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return _joined((page.extract_text() or "" for page in reader.pages), limit)


def docx_text(data: bytes, limit: int) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))

    def pieces() -> Iterator[str]:
        yield from (paragraph.text for paragraph in document.paragraphs)
        for table in document.tables:
            for row in table.rows:
                yield " ".join(cell.text for cell in row.cells)

    return _joined(pieces(), limit)


def xlsx_text(data: bytes, limit: int) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:

        def pieces() -> Iterator[str]:
            for sheet in workbook.worksheets:
                yield sheet.title
                for row in sheet.iter_rows(values_only=True):
                    yield " ".join(str(value) for value in row if value is not None)

        return _joined(pieces(), limit)
    finally:
        workbook.close()
