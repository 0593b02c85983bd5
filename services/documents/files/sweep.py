"""Uploads nobody confirmed (DOC-03): a pending version older than ``pending_upload_ttl_s`` has its object removed
and its multipart upload aborted, and is marked rejected; a pending document left with no stored version goes.
Each in its district's own transaction, the version locked and re-checked (two sweeps may race)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents import SERVICE
from services.documents.files.store import file_store
from services.documents.library.models import Document, DocumentVersion, VersionState
from services.documents.settings import get_documents_settings
from services.documents.uploads.confirm import drop_if_empty, remove_upload
from shared import audit
from shared.scheduler import Job, apply_each, due_across_districts
from shared.settings import Settings

ACTOR = "system:documents-scheduler"
BATCH = 200

# Across districts, on the partial index ix_document_version_tenant_pending.
_DUE = text(
    "SELECT id, tenant_id FROM document_version WHERE state = 'pending' "
    "AND created_at < now() - make_interval(secs => :ttl) ORDER BY created_at LIMIT :n"
)


async def sweep_pending_uploads(settings: Settings) -> int:
    config = get_documents_settings()
    files = file_store(settings, config)
    due = await due_across_districts(settings, SERVICE, _DUE.bindparams(ttl=config.pending_upload_ttl_s, n=BATCH))

    async def expire(session: AsyncSession, version_id: UUID) -> int:
        version = await session.scalar(
            select(DocumentVersion)
            .where(DocumentVersion.id == version_id, DocumentVersion.state == VersionState.PENDING)
            .with_for_update(skip_locked=True)
        )
        if version is None:
            return 0
        await remove_upload(files, version)
        version.state = VersionState.REJECTED
        await session.flush()
        await audit.record(
            session,
            "documents.upload.expired",
            subject_type="document",
            subject_id=str(version.document_id),
            detail={"version": version.number},
        )
        document = await session.get(Document, version.document_id)
        if document is not None:
            await drop_if_empty(session, document)
        return 1

    return await apply_each(settings, SERVICE, [(row.tenant_id, row.id) for row in due], expire, actor=ACTOR)


JOBS: list[Job] = [Job(f"{SERVICE}.pending_uploads", 300, sweep_pending_uploads)]
