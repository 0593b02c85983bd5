"""The regulation library (DOC-10): registering a unit's regulations, what is in force on a day, ending and
superseding them."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import msgspec
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.library.models import Document, DocumentState
from services.documents.library.services import DocumentService
from services.documents.library.visibility import readable
from services.documents.paging import page
from services.documents.regulations.models import Regulation
from services.documents.regulations.schemas import RegulationCreate, RegulationUpdate, RegulationView
from services.documents.retention.rules import files_on, forbidden
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.repository import Keyset, Repository
from shared.http.problems import conflict, invalid, missing
from shared.http.views import view

REGULATION = "regulation"  # the document type whose documents the library holds
LATEST = Keyset(Regulation.effective_from, Regulation.document_id, descending=True, parse=date.fromisoformat)


class RegulationRepository(Repository[Regulation]):
    model_type = Regulation
    noun = "regulation"


def ancestors(path: str) -> list[str]:
    """``/a/b/`` -> ``['/', '/a/', '/a/b/']``: the unit and every unit above it, as anchor paths."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "".join(f"{part}/" for part in parts[:depth]) for depth in range(len(parts) + 1)]


def regulation_view(row: Regulation, document: Document) -> RegulationView:
    return view(RegulationView, row, title=document.title, unit_name=document.unit_name)


class RegulationService:
    def __init__(self, session: AsyncSession, principal: Principal, documents: DocumentService) -> None:
        self.session = session
        self.principal = principal
        self.documents = documents
        self.repository = RegulationRepository(session)

    def _forbid_unless_filer(self, document: Document) -> None:
        if not files_on(self.principal, document.anchor_path):
            raise forbidden("you may not manage the regulations of this unit")

    async def register(self, data: RegulationCreate) -> RegulationView:
        document = await self.documents.get(data.document_id, for_update=True)
        if document.type_code != REGULATION:
            raise invalid("body.documentId", f"a document of type {document.type_code}, not a regulation")
        self._forbid_unless_filer(document)
        if document.state != DocumentState.ACTIVE:
            raise conflict(f"the document is {document.state}: only a filed regulation enters the library")
        if data.effective_to is not None and data.effective_to < data.effective_from:
            raise invalid("body.effectiveTo", "before effectiveFrom")
        if await self.session.get(Regulation, document.id) is not None:
            raise conflict("the regulation is already in the library")
        row = Regulation(
            document_id=document.id,
            unit_path=document.anchor_path,
            number=data.number,
            effective_from=data.effective_from,
            effective_to=data.effective_to,
            trial=data.trial,
            registered_by=self.principal.user_id,
            registered_by_name=self.principal.name,
            created_at=now(),
        )
        self.session.add(row)
        await self.session.flush()
        await audit.record(
            self.session, "documents.regulation.registered", subject_type="document", subject_id=str(document.id)
        )
        return regulation_view(row, document)

    async def _entry(self, document_id: UUID) -> tuple[Regulation, Document]:
        found = (
            await self.session.execute(
                select(Regulation, Document)
                .join(Document, Document.id == Regulation.document_id)
                .where(Regulation.document_id == document_id, readable(self.principal))
                .with_for_update(of=Regulation)
            )
        ).first()
        if found is None:
            raise missing("regulation")
        regulation, document = found
        return regulation, document

    async def update(self, document_id: UUID, change: RegulationUpdate) -> RegulationView:
        row, document = await self._entry(document_id)
        self._forbid_unless_filer(document)
        effective_to = row.effective_to if change.effective_to is msgspec.UNSET else change.effective_to
        if change.superseded_by is not msgspec.UNSET and change.superseded_by is not None:
            if change.superseded_by == row.document_id:
                raise invalid("body.supersededBy", "a regulation cannot supersede itself")
            successor = await self.session.scalar(
                select(Regulation)
                .join(Document, Document.id == Regulation.document_id)
                .where(Regulation.document_id == change.superseded_by, readable(self.principal))
            )
            if successor is None:
                raise invalid("body.supersededBy", "not a regulation in this district's library")
            if change.effective_to is msgspec.UNSET and effective_to is None:
                # superseded from the day its successor takes effect
                effective_to = successor.effective_from - timedelta(days=1)
            row.superseded_by = successor.document_id
        elif change.superseded_by is None:
            row.superseded_by = None
        if effective_to is not None and effective_to < row.effective_from:
            field = "body.effectiveTo" if change.effective_to is not msgspec.UNSET else "body.supersededBy"
            raise invalid(field, f"ends before the regulation takes effect on {row.effective_from.isoformat()}")
        row.effective_to = effective_to
        if change.trial is not msgspec.UNSET:
            row.trial = change.trial
        if change.number is not msgspec.UNSET:
            row.number = change.number
        await audit.record(
            self.session, "documents.regulation.updated", subject_type="document", subject_id=str(document_id)
        )
        await self.session.flush()
        return regulation_view(row, document)

    async def in_force(
        self, unit_path: str | None, as_of: date, *, include_ancestors: bool, cursor: str | None, limit: int
    ) -> tuple[list[RegulationView], str | None]:
        """The unit's regulations in force on ``as_of`` (and, with ``include_ancestors``, those of the units above);
        the unit is the caller's scope (the district for its admin) unless given."""
        unit_path = unit_path or self.principal.scope or "/"
        if not self.principal.may_see_path(unit_path):
            raise forbidden("query.unitPath: outside your scope")
        paths = ancestors(unit_path) if include_ancestors else [unit_path]
        statement = (
            select(Regulation)
            .join(Document, Document.id == Regulation.document_id)
            .where(
                Regulation.unit_path.in_(paths),
                Regulation.effective_from <= as_of,
                or_(Regulation.effective_to.is_(None), Regulation.effective_to >= as_of),
                Document.state == DocumentState.ACTIVE,
            )
        )
        rows, following = await page(self.repository, statement, LATEST, cursor=cursor, limit=limit)
        documents = {
            row.id: row
            for row in await self.session.scalars(
                select(Document).where(Document.id.in_([row.document_id for row in rows]))
            )
        }
        return [regulation_view(row, documents[row.document_id]) for row in rows], following
