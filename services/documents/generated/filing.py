"""Filing a generated document once per source: render the type's template, store the PDF, then the rows.

Exactly once per ``source_key`` (``"dispatch.ReferralIssued:<referral id>"``): the handler takes a transaction lock
on the key and returns when a document of it exists, so a redelivered or replayed event files nothing new; only a
newer ``revision`` of the source (a monthly report generated again) files the document's next version.

The document's id is derived from the district and the key, so every attempt at a version writes the same object
key: the object goes in before the rows, is removed if they fail, and one left behind by a transaction that failed
at its commit is overwritten by the redelivery (no row can point at it: the lock is held and the version's row does
not exist).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.generated.defaults import seed_templates
from services.documents.generated.layout import Layout, fill
from services.documents.generated.models import DocumentTemplate
from services.documents.generated.render import render_pdf
from services.documents.library.models import DISTRICT, Document, DocumentState, DocumentVersion, VersionState
from services.documents.types.catalogue import PDF, seed_registry
from services.documents.types.models import DocumentType, RetentionClass, Visibility
from services.documents.types.retention import district_day, retain_until
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.documents import VersionStored
from shared.messaging.outbox import publish
from shared.settings import Settings
from shared.storage import ObjectExistsError, ObjectStore, sanitize_filename, tenant_key

_IDS = uuid.UUID("5d0c7a3e-54c4-4e63-9a43-0b6f6b1d2c14")  # namespace of generated documents' ids
_store: tuple[Settings, ObjectStore] | None = None


def store_for(settings: Settings) -> ObjectStore:
    """The worker's one object store (a test's settings get their own)."""
    global _store  # noqa: PLW0603 - one client per process, made on first use
    if _store is None or _store[0] is not settings:
        _store = (settings, ObjectStore(settings))
    return _store[1]


@dataclass(frozen=True, slots=True)
class Generated:
    """What one event calls for: the type, the facts its template prints, and where the document hangs."""

    source_key: str
    type_code: str
    facts: dict[str, str]
    fields: dict[str, Any] = field(default_factory=dict)
    unit_id: uuid.UUID | None = None
    unit_path: str | None = None
    unit_name: str | None = None
    subject_kind: str | None = None
    subject_id: uuid.UUID | None = None
    subject_path: str | None = None
    about_user_id: uuid.UUID | None = None  # kept only when the type lets the subject read it
    # sortable; a newer revision of the same source (a regenerated report) files the next version
    revision: str | None = None


def document_id_of(tenant: uuid.UUID, source_key: str) -> uuid.UUID:
    return uuid.uuid5(_IDS, f"{tenant}:{source_key}")


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _registry(session: AsyncSession, type_code: str) -> tuple[DocumentType, DocumentTemplate]:
    """The type and its template; a district provisioned before either existed gets the defaults now."""
    for attempt in range(2):
        doc_type = await session.scalar(select(DocumentType).where(DocumentType.code == type_code))
        if doc_type is not None:
            code = doc_type.template or type_code
            template = await session.scalar(select(DocumentTemplate).where(DocumentTemplate.code == code))
            if template is not None:
                return doc_type, template
        if attempt == 0:
            await seed_registry(session)
            await seed_templates(session)
    msg = f"the district has no generated type {type_code!r} with a template"
    raise LookupError(msg)


def _new_document(spec: Generated, doc_type: DocumentType, retention: RetentionClass | None, title: str) -> Document:
    return Document(
        id=document_id_of(require_tenant(), spec.source_key),
        type_code=doc_type.code,
        title=title,
        unit_id=spec.unit_id,
        unit_path=spec.unit_path,
        unit_name=spec.unit_name,
        subject_kind=spec.subject_kind,
        subject_id=spec.subject_id,
        subject_path=spec.subject_path,
        about_user_id=spec.about_user_id if doc_type.visibility != Visibility.INTERNAL else None,
        anchor_path=spec.subject_path or spec.unit_path or DISTRICT,
        state=DocumentState.ACTIVE,
        current_version=0,
        fields={},
        retention_class=doc_type.retention_class,
        immutable=bool(retention and retention.immutable),
        retain_until=retain_until(district_day(), retention.years if retention else None),
        source_key=spec.source_key,
    )


def _outdated(document: Document, spec: Generated) -> bool:
    """A newer revision of the source (a regenerated report) than the document's current version."""
    if spec.revision is None or document.immutable or document.state != DocumentState.ACTIVE:
        return False
    return spec.revision > str(document.fields.get("revision", ""))


async def file_generated(session: AsyncSession, store: ObjectStore, spec: Generated) -> Document | None:
    """File ``spec``'s document with its rendered PDF as its first version, or as the next one when ``spec`` is a
    newer revision of its source; None when the source's document is already as ``spec`` would make it."""
    tenant = require_tenant()
    lock = func.pg_advisory_xact_lock(func.hashtext(f"generated:{tenant}:{spec.source_key}"))
    await session.execute(select(lock))
    document = await session.scalar(select(Document).where(Document.source_key == spec.source_key))
    if document is not None and not _outdated(document, spec):
        return None
    doc_type, template = await _registry(session, spec.type_code)
    title = fill(template.title_pattern, spec.facts)[:200]
    layout = msgspec.convert(template.body, Layout)
    pdf = await asyncio.to_thread(render_pdf, layout, spec.facts, title=title)

    number = document.current_version + 1 if document is not None else 1
    key = tenant_key(tenant, "documents", document_id_of(tenant, spec.source_key), number)
    try:
        stored = await store.put_stream(key, _one(pdf), max_bytes=doc_type.max_bytes, content_type_hint=PDF)
    except ObjectExistsError:  # left by an attempt whose transaction failed: nothing refers to it
        await store.delete(key)
        stored = await store.put_stream(key, _one(pdf), max_bytes=doc_type.max_bytes, content_type_hint=PDF)
    try:
        if document is None:
            retention = await session.scalar(
                select(RetentionClass).where(RetentionClass.code == doc_type.retention_class)
            )
            document = _new_document(spec, doc_type, retention, title)
            session.add(document)
            await session.flush()
        document.title = title
        document.current_version = number
        document.fields = {**spec.fields, "revision": spec.revision} if spec.revision else dict(spec.fields)
        version = DocumentVersion(
            document_id=document.id,
            number=number,
            state=VersionState.STORED,
            object_key=key,
            filename=sanitize_filename(title.replace("/", "-") + ".pdf"),
            declared_type=PDF,
            content_type=stored.content_type,
            declared_bytes=stored.size,
            size_bytes=stored.size,
            sha256=bytes.fromhex(stored.sha256),
            change_note=None if number == 1 else "重新生成",
            stored_at=now(),
        )
        session.add(version)
        await session.flush()
        stored_event = VersionStored(
            tenant_id=tenant,
            document_id=document.id,
            version_id=version.id,
            number=number,
            type_code=doc_type.code,
            content_type=stored.content_type,
            size_bytes=stored.size,
        )
        await publish(session, stored_event)
    except Exception:
        with contextlib.suppress(Exception):
            await store.delete(key)
        raise
    return document
