"""Keeping a document's search row current: ``reindex`` after any change of what it says, ``extract_and_index``
once a version's file is stored (the VersionStored handler in files/actors.py calls it after the thumbnails).

A file that cannot be read (a broken PDF, an image Tesseract gives up on) is logged and the document indexed by
its metadata alone: the handler succeeds, so the message is never retried in a loop.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any

from minio.error import S3Error
from sqlalchemy import ColumnElement, delete, func, literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.extraction.text import extract, readable
from services.documents.library.models import Document, DocumentVersion
from services.documents.search.models import BODY_CHARS, DocumentSearch, ExtractionState
from services.documents.search.query import SIMPLE
from services.documents.search.words import normalise, segmented
from services.documents.settings import get_documents_settings
from services.documents.types.models import DocumentType
from shared.logging import get_logger
from shared.storage.store import ObjectStore

log = get_logger(__name__)

_BLANKS = re.compile(r"[ \t\r\f\v\x00]+")
_LINES = re.compile(r"\s*\n\s*")


def weighted(words: str, weight: str) -> ColumnElement[Any]:
    """``words`` (already segmented) as a tsvector of weight ``weight`` (A, B or C)."""
    return func.setweight(func.to_tsvector(SIMPLE, words), literal_column(f"'{weight}'::\"char\""))


def clean(text: str) -> str:
    """Extracted text as stored: OCR's spaces between Chinese characters gone, blank runs collapsed, no NULs."""
    return _LINES.sub("\n", _BLANKS.sub(" ", normalise(text))).strip()[:BODY_CHARS]


def field_values(fields: dict[str, Any]) -> list[str]:
    values: list[str] = []
    for value in fields.values():
        if isinstance(value, dict):
            values.extend(field_values(value))
        elif isinstance(value, list):
            values.extend(str(item) for item in value if item is not None)
        elif value is not None:
            values.append(str(value))
    return values


async def reindex(session: AsyncSession, document_id: uuid.UUID) -> None:
    """Recompute the document's vector: title (A); description, type, unit and fields (B); its file's text (C)."""
    document = await session.get(Document, document_id)
    if document is None:
        return
    type_name = await session.scalar(select(DocumentType.name).where(DocumentType.code == document.type_code))
    body = await session.scalar(select(DocumentSearch.body).where(DocumentSearch.document_id == document_id)) or ""
    title = segmented([document.title])
    about = segmented([document.description, type_name, document.unit_name, *field_values(document.fields)])
    # jieba over 100,000 characters takes a while: a thread keeps the worker's loop answering
    text = await asyncio.to_thread(segmented, [body]) if body else ""
    vector = weighted(title, "A").op("||")(weighted(about, "B")).op("||")(weighted(text, "C"))
    statement = insert(DocumentSearch).values(
        tenant_id=document.tenant_id, document_id=document.id, vector=vector, body=body, body_version=0
    )
    await session.execute(
        statement.on_conflict_do_update(index_elements=[DocumentSearch.document_id], set_={"vector": vector})
    )


async def forget(session: AsyncSession, document_id: uuid.UUID) -> None:
    """Drop the document's vector and the text read from its file: for when its files are deleted (retention)."""
    await session.execute(delete(DocumentSearch).where(DocumentSearch.document_id == document_id))


async def _read(store: ObjectStore, key: str, limit: int) -> bytes:
    def read() -> bytes:
        response = store.client.get_object(store.bucket, key)
        try:
            return bytes(response.read(limit + 1))
        finally:
            response.close()
            response.release_conn()

    return await asyncio.to_thread(read)


async def _text_of(store: ObjectStore, version: DocumentVersion, data: bytes | None) -> tuple[str, ExtractionState]:
    limit = get_documents_settings().extract_max_bytes
    if not readable(version.content_type):
        return "", ExtractionState.SKIPPED
    if (version.size_bytes or 0) > limit:
        log.info("search.extract.too_large", version_id=str(version.id), size_bytes=version.size_bytes)
        return "", ExtractionState.SKIPPED
    try:
        if data is None:
            data = await _read(store, version.object_key, limit)
    except S3Error as exc:  # the object is gone (deleted meanwhile): nothing to read, nothing to retry
        log.warning("search.extract.missing", version_id=str(version.id), error=exc.code)
        return "", ExtractionState.UNREADABLE
    try:
        return clean(await extract(data, version.content_type, limit=BODY_CHARS)), ExtractionState.READ
    except Exception as exc:  # any reader's failure on a broken file: indexed by its metadata, logged
        log.warning(
            "search.extract.unreadable",
            version_id=str(version.id),
            content_type=version.content_type,
            error=f"{type(exc).__name__}: {exc}"[:300],
        )
        return "", ExtractionState.UNREADABLE


async def extract_and_index(
    session: AsyncSession, store: ObjectStore, version: DocumentVersion, *, data: bytes | None = None
) -> None:
    """Read the text of ``version``'s file (``data``: its bytes, when the caller has them already), keep it, and
    reindex its document (an older version is ignored)."""
    document = await session.get(Document, version.document_id)
    if document is None or version.number < document.current_version:
        return
    body, state = await _text_of(store, version, data)
    values = {"body": body, "body_version": version.number, "extraction": state.value}
    statement = insert(DocumentSearch).values(
        tenant_id=document.tenant_id, document_id=document.id, vector=literal_column("''::tsvector"), **values
    )
    await session.execute(statement.on_conflict_do_update(index_elements=[DocumentSearch.document_id], set_=values))
    await reindex(session, document.id)
