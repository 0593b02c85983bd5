"""Deleting a document under its retention rules, changing its retention class, and legal holds (DOC-09).

Every refusal is a 409 that says which rule stands in the way (immutable until a date, a legal hold since a date
by someone, a submitted acceptance dossier), so the archive knows what to wait for or whom to ask.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.dossiers.locks import locked_by_dossier
from services.documents.library.models import Document, DocumentState, DocumentVersion, VersionState
from services.documents.library.services import DocumentService
from services.documents.library.visibility import readable
from services.documents.paging import page
from services.documents.retention.models import DocumentDeletion, LegalHold
from services.documents.retention.rules import ZONE, files_on, forbidden, today
from services.documents.search.indexing import forget
from services.documents.types.retention import retain_until
from services.documents.types.services import Registry
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.repository import Keyset, Repository
from shared.http.problems import conflict, invalid
from shared.storage import ObjectStore

NEWEST_DELETION = Keyset(
    DocumentDeletion.deleted_at, DocumentDeletion.id, descending=True, parse=datetime.fromisoformat
)
NEWEST_HOLD = Keyset(LegalHold.placed_at, LegalHold.id, descending=True, parse=datetime.fromisoformat)


class DeletionRepository(Repository[DocumentDeletion]):
    model_type = DocumentDeletion
    noun = "deletion"


class HoldRepository(Repository[LegalHold]):
    model_type = LegalHold
    noun = "legal hold"


def day(moment: datetime) -> str:
    return moment.astimezone(ZONE).date().isoformat()


class RetentionService:
    def __init__(
        self, session: AsyncSession, principal: Principal, documents: DocumentService, registry: Registry
    ) -> None:
        self.session = session
        self.principal = principal
        self.documents = documents
        self.registry = registry
        self.deletion_log = DeletionRepository(session)
        self.hold_log = HoldRepository(session)

    async def current_hold(self, document_id: UUID) -> LegalHold | None:
        return await self.session.scalar(
            select(LegalHold).where(LegalHold.document_id == document_id, LegalHold.released_at.is_(None))
        )

    async def _managed(self, document_id: UUID, doing: str) -> Document:
        """The live document, locked, when the caller may manage documents on its unit."""
        document = await self.documents.get(document_id, for_update=True)
        if not files_on(self.principal, document.anchor_path):
            raise forbidden(f"you may not {doing} documents on this unit")
        if document.state == DocumentState.DELETED:
            raise conflict(f"the document was deleted on {day(document.deleted_at or now())}")
        return document

    async def _held(self, document: Document) -> str | None:
        hold = await self.current_hold(document.id) if document.legal_hold else None
        if hold is None:
            return None
        return f"under legal hold since {day(hold.placed_at)} by {hold.placed_by_name or hold.placed_by}"

    async def delete(self, document_id: UUID, reason: str, store: ObjectStore) -> DocumentDeletion:
        document = await self._managed(document_id, "delete")
        refusals = []
        if document.state == DocumentState.PENDING:
            refusals.append("its upload is not confirmed yet")
        if document.immutable and (document.retain_until is None or document.retain_until >= today()):
            until = document.retain_until
            refusals.append(
                f"immutable until {until.isoformat()}" if until else "immutable for good (kept permanently)"
            )
        if held := await self._held(document):
            refusals.append(held)
        if await locked_by_dossier(self.session, document.id):
            refusals.append("in a submitted acceptance dossier")
        if refusals:
            raise conflict(f"the document cannot be deleted: {'; '.join(refusals)}")

        versions = list(
            await self.session.scalars(
                select(DocumentVersion)
                .where(DocumentVersion.document_id == document.id)
                .order_by(DocumentVersion.number)
            )
        )
        moment = now()
        entry = DocumentDeletion(
            document_id=document.id,
            type_code=document.type_code,
            title=document.title,
            retention_class=document.retention_class,
            reason=reason,
            versions=[
                {
                    "number": version.number,
                    "filename": version.filename,
                    "sizeBytes": version.size_bytes,
                    "sha256": version.sha256.hex() if version.sha256 else None,
                }
                for version in versions
                if version.state == VersionState.STORED
            ],
            deleted_by=self.principal.user_id,
            deleted_by_name=self.principal.name,
            deleted_at=moment,
        )
        self.session.add(entry)
        document.state = DocumentState.DELETED
        document.deleted_at = moment
        await self.session.flush()
        await forget(self.session, document.id)  # the text read from its files goes with them
        await audit.record(
            self.session,
            "documents.document.deleted",
            subject_type="document",
            subject_id=str(document.id),
            detail={"deletion": str(entry.id), "typeCode": document.type_code, "versions": len(entry.versions)},
        )
        # The objects go last: a store failure rolls the whole deletion back, and removing is idempotent.
        for version in versions:
            await store.delete(version.object_key)
            if version.thumbnail_key:
                await store.delete(version.thumbnail_key)
                version.thumbnail_key = None
        return entry

    async def change_class(self, document_id: UUID, code: str) -> Document:
        document = await self._managed(document_id, "change the retention of")
        retention = await self.registry.retention_class(code)
        if retention is None:
            raise invalid("body.retentionClass", "not a retention class of this district")
        if document.immutable:
            raise conflict(f"the document is immutable: its retention class {document.retention_class} stays")
        if held := await self._held(document):
            raise conflict(f"the document's retention cannot change: it is {held}")
        previous = document.retention_class
        document.retention_class = retention.code
        document.immutable = retention.immutable
        # counted, as on every upload, from when the current version was stored
        stored_at = await self.session.scalar(
            select(DocumentVersion.stored_at).where(
                DocumentVersion.document_id == document.id, DocumentVersion.number == document.current_version
            )
        )
        document.retain_until = retain_until((stored_at or document.created_at).date(), retention.years)
        await audit.record(
            self.session,
            "documents.document.retention_changed",
            subject_type="document",
            subject_id=str(document.id),
            detail={"from": previous, "to": retention.code},
        )
        await self.session.flush()
        await self.session.refresh(document)  # updated_at is the database's
        return document

    async def hold(self, document_id: UUID, reason: str) -> LegalHold:
        document = await self._managed(document_id, "hold")
        if held := await self._held(document):
            raise conflict(f"the document is already {held}")
        hold = LegalHold(
            document_id=document.id,
            reason=reason,
            placed_by=self.principal.user_id,
            placed_by_name=self.principal.name,
            placed_at=now(),
        )
        self.session.add(hold)
        document.legal_hold = True
        await self.session.flush()
        await audit.record(
            self.session, "documents.document.held", subject_type="document", subject_id=str(document.id)
        )
        return hold

    async def release(self, document_id: UUID, reason: str) -> LegalHold:
        document = await self._managed(document_id, "release")
        hold = await self.current_hold(document.id)
        if hold is None:
            raise conflict("the document is not under legal hold")
        hold.release_reason = reason
        hold.released_by = self.principal.user_id
        hold.released_by_name = self.principal.name
        hold.released_at = now()
        document.legal_hold = False
        await audit.record(
            self.session, "documents.document.released", subject_type="document", subject_id=str(document.id)
        )
        return hold

    async def titles(self, document_ids: list[UUID]) -> dict[UUID, str]:
        rows = await self.session.execute(select(Document.id, Document.title).where(Document.id.in_(document_ids)))
        return {row.id: row.title for row in rows}

    async def holds(self, *, cursor: str | None, limit: int) -> tuple[list[LegalHold], str | None]:
        """Holds in force on documents the caller may read, newest first."""
        statement = (
            select(LegalHold)
            .join(Document, Document.id == LegalHold.document_id)
            .where(LegalHold.released_at.is_(None), readable(self.principal))
        )
        return await page(self.hold_log, statement, NEWEST_HOLD, cursor=cursor, limit=limit)

    async def deletions(self, *, cursor: str | None, limit: int) -> tuple[list[DocumentDeletion], str | None]:
        return await page(self.deletion_log, select(DocumentDeletion), NEWEST_DELETION, cursor=cursor, limit=limit)
