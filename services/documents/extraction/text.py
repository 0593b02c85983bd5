"""``extract(data, content_type)``: a file's text by its content type (read from its bytes on confirmation)."""

from __future__ import annotations

import asyncio

from services.documents.extraction.ocr import SUFFIXES, image_text
from services.documents.extraction.office import docx_text, pdf_text, xlsx_text

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READERS = {PDF: pdf_text, DOCX: docx_text, XLSX: xlsx_text}


def readable(content_type: str | None) -> bool:
    """Whether a file of this type has text to read."""
    kind = (content_type or "").split(";")[0].strip()
    return kind in READERS or kind in SUFFIXES or kind.startswith("text/")


async def extract(data: bytes, content_type: str | None, *, limit: int) -> str:
    """The text of ``data``, at most ``limit`` characters; raises whatever the reader raises on a broken file."""
    kind = (content_type or "").split(";")[0].strip()
    reader = READERS.get(kind)
    if reader is not None:
        # parsing is CPU work in pure Python: a thread keeps the worker's event loop answering
        return await asyncio.to_thread(reader, data, limit)
    if kind in SUFFIXES:
        return (await image_text(data, kind))[:limit]
    if kind.startswith("text/"):
        return data.decode("utf-8", errors="replace")[:limit]
    return ""
