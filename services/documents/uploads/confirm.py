"""Confirming an upload (DOC-03): the service completes a multipart upload, then reads what arrived, never trusting
the client's word: the type from the first bytes (within the type's content types and of the declared type's
family), the size (equal to the declared size and within the type's limit) and the SHA-256, in one streamed pass.

Refused bytes leave nothing behind: the object (and any multipart upload) is removed, the version marked rejected,
and a pending document that has no stored version goes with it. Stored bytes make the version ``stored``, the
document active with it as current, its retention date set, an audit record, and ``VersionStored`` published (and,
for a photo of a ticket's work or a wish, ``EvidenceFiled``: dispatch keeps its document id).
Confirming a stored version again answers it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from minio.error import S3Error
from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.files.store import FileStore, Reading
from services.documents.library.models import Document, DocumentState, DocumentVersion, VersionState
from services.documents.types.retention import district_day, retain_until
from services.documents.types.services import Registry
from services.documents.uploads.checks import refusal
from services.documents.uploads.rights import is_evidence
from services.documents.uploads.schemas import ConfirmRequest
from services.documents.uploads.services import UploadService
from shared import audit
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.documents import EvidenceFiled, VersionStored
from shared.http.problems import conflict, invalid
from shared.messaging.outbox import publish

# S3's answers to a completion whose part list is wrong: the client may send the list (or the parts) again.
_BAD_PARTS = frozenset({"InvalidPart", "InvalidPartOrder", "EntityTooSmall", "MalformedXML"})


@dataclass
class Confirmation:
    version: DocumentVersion
    document: Document | None  # None: a refused first upload took its pending document with it
    refused: str | None = None  # why the bytes were refused
    already: bool = False  # the version was stored by an earlier confirmation


class Confirmer:
    def __init__(self, session: AsyncSession, uploads: UploadService) -> None:
        self.session = session
        self.uploads = uploads
        self.registry = Registry(session)

    async def confirm(self, version_id: UUID, body: ConfirmRequest, files: FileStore) -> Confirmation:
        document, version = await self.uploads.pending_of(version_id)
        if version.state == VersionState.STORED:
            return Confirmation(version, document, already=True)
        if version.state == VersionState.REJECTED:
            raise conflict("this upload was refused: ask for a new one")
        kind = await self.registry.type_of(document.type_code)
        if version.multipart_upload_id is not None:
            if body.parts is None:
                raise invalid("body.parts", "give each part's number and the ETag its upload answered")
            try:
                parts = sorted((part.part_number, part.etag) for part in body.parts)
                await files.complete_multipart(version.object_key, version.multipart_upload_id, parts)
            except S3Error as exc:
                if exc.code in _BAD_PARTS:
                    raise invalid("body.parts", f"the parts do not make up the upload ({exc.code})") from None
                if exc.code != "NoSuchUpload" or await files.size_of(version.object_key) is None:
                    return await self._refuse(document, version, files, "the upload's parts are gone")
        size = await files.size_of(version.object_key)
        if size is None:
            raise conflict("the file has not arrived yet: send it to the upload URL first")
        declared = version.declared_type or ""
        reason = refusal(kind, declared, version.declared_bytes, size, None)  # a wrong size: refused unread
        if reason is None:
            reading = await files.read(version.object_key, hint=declared)
            reason = refusal(kind, declared, version.declared_bytes, reading.size, reading.content_type)
            if reason is None:
                return await self._store(document, version, reading)
        return await self._refuse(document, version, files, reason)

    async def _store(self, document: Document, version: DocumentVersion, reading: Reading) -> Confirmation:
        stored = now()
        version.state = VersionState.STORED
        version.content_type = reading.content_type
        version.size_bytes = reading.size
        version.sha256 = reading.sha256
        version.stored_at = stored
        version.multipart_upload_id = None
        retention = await self.registry.retention_class(document.retention_class)
        document.state = DocumentState.ACTIVE
        document.current_version = max(document.current_version, version.number)
        document.retain_until = retain_until(district_day(stored), retention.years if retention else None)
        document.updated_at = stored  # set, not left to onupdate: the answer shows it without a reload
        await self.session.flush()
        await audit.record(
            self.session,
            "documents.version.stored",
            subject_type="document",
            subject_id=str(document.id),
            detail={"version": version.number, "type": reading.content_type, "bytes": reading.size},
        )
        await publish(
            self.session,
            VersionStored(
                tenant_id=require_tenant(),
                document_id=document.id,
                version_id=version.id,
                number=version.number,
                type_code=document.type_code,
                content_type=reading.content_type,
                size_bytes=reading.size,
            ),
        )
        if is_evidence(document) and document.subject_kind and document.subject_id:
            await publish(
                self.session,
                EvidenceFiled(
                    tenant_id=require_tenant(),
                    document_id=document.id,
                    version_id=version.id,
                    subject_kind=document.subject_kind,
                    subject_id=document.subject_id,
                    type_code=document.type_code,
                    content_type=reading.content_type,
                    sha256=reading.sha256.hex(),
                    size_bytes=reading.size,
                    stored_at=stored,
                    taken_at=version.taken_at,
                    filed_by=version.created_by,
                ),
            )
        return Confirmation(version, document)

    async def _refuse(
        self, document: Document, version: DocumentVersion, files: FileStore, reason: str
    ) -> Confirmation:
        await remove_upload(files, version)
        version.state = VersionState.REJECTED
        await self.session.flush()
        await audit.record(
            self.session,
            "documents.upload.refused",
            subject_type="document",
            subject_id=str(document.id),
            detail={"version": version.number, "reason": reason},
        )
        gone = await drop_if_empty(self.session, document)
        return Confirmation(version, None if gone else document, refused=reason)


async def remove_upload(files: FileStore, version: DocumentVersion) -> None:
    """Nothing of a refused or abandoned upload stays in the store: its parts, and the object if it was made."""
    if version.multipart_upload_id is not None:
        await files.abort_multipart(version.object_key, version.multipart_upload_id)
        version.multipart_upload_id = None
    await files.remove(version.object_key)


async def drop_if_empty(session: AsyncSession, document: Document) -> bool:
    """A pending document none of whose versions was stored goes (its versions with it); True when it went."""
    if document.state != DocumentState.PENDING:
        return False
    stored = exists().where(DocumentVersion.document_id == document.id, DocumentVersion.state == VersionState.STORED)
    if await session.scalar(select(stored)):
        return False
    await session.execute(delete(Document).where(Document.id == document.id))
    session.expunge_all()  # the rows are gone (versions by the foreign key's cascade); nothing is left to write
    return True
