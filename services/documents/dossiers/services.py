"""Acceptance dossiers (DOC-08): drafting, filling, submitting (which locks the documents) and reviewing.

The unit's staff draft and submit; reviewers are the district admin and staff whose scope lies above the unit.
A verdict is given on a submitted dossier only: ``accepted`` settles it, ``returned`` makes it a draft again.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, delete, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.dossiers.models import Dossier, DossierItem, DossierNote, DossierState, Verdict
from services.documents.dossiers.schemas import (
    DossierCreate,
    DossierDetail,
    DossierItemView,
    NoteCreate,
    NoteView,
)
from services.documents.library.models import Document, DocumentState
from services.documents.library.services import DocumentService
from services.documents.paging import page
from services.documents.retention.rules import files_on, forbidden
from shared import audit
from shared.auth.principal import Principal, Role
from shared.clock import now
from shared.db.paths import under
from shared.db.repository import Keyset, Repository
from shared.http.problems import FieldErrors, conflict, missing
from shared.http.views import view, views

NEWEST = Keyset(Dossier.created_at, Dossier.id, descending=True, parse=datetime.fromisoformat)


class DossierRepository(Repository[Dossier]):
    model_type = Dossier
    noun = "dossier"


class DossierService:
    def __init__(self, session: AsyncSession, principal: Principal, documents: DocumentService) -> None:
        self.session = session
        self.principal = principal
        self.documents = documents
        self.repository = DossierRepository(session)

    def _visible(self) -> ColumnElement[bool]:
        scope = self.principal.scope
        return true() if scope is None else under(Dossier.unit_path, scope)

    def _reviews(self, dossier: Dossier) -> bool:
        """The district admin, or staff whose scope lies strictly above the dossier's unit."""
        if self.principal.has_role(Role.DISTRICT_ADMIN) and self.principal.scope is None:
            return True
        scope = self.principal.scope
        return scope is not None and dossier.unit_path.startswith(scope) and dossier.unit_path != scope

    async def get(self, dossier_id: UUID, *, for_update: bool = False) -> Dossier:
        statement = select(Dossier).where(Dossier.id == dossier_id, self._visible())
        return await self.repository.one_or_404(statement.with_for_update() if for_update else statement)

    async def _draft(self, dossier_id: UUID) -> Dossier:
        """The dossier, locked, when the caller files on its unit and it is still a draft."""
        dossier = await self.get(dossier_id, for_update=True)
        if not files_on(self.principal, dossier.unit_path):
            raise forbidden("you may not change the dossiers of this unit")
        if dossier.state != DossierState.DRAFT:
            raise conflict(f"the dossier is {dossier.state}: its items are locked")
        return dossier

    async def create(self, data: DossierCreate) -> Dossier:
        if not files_on(self.principal, data.unit_path):
            raise forbidden("body.unitPath: outside your scope")
        dossier = Dossier(
            title=data.title,
            unit_id=data.unit_id,
            unit_path=data.unit_path,
            unit_name=data.unit_name,
            due_on=data.due_on,
            created_by=self.principal.user_id,
            created_by_name=self.principal.name,
            created_at=now(),
        )
        self.session.add(dossier)
        await self.session.flush()
        await audit.record(
            self.session, "documents.dossier.created", subject_type="dossier", subject_id=str(dossier.id)
        )
        return dossier

    async def add_item(self, dossier_id: UUID, document_id: UUID) -> Dossier:
        dossier = await self._draft(dossier_id)
        document = await self.documents.get(document_id)
        if document.state != DocumentState.ACTIVE:
            raise conflict(f"the document is {document.state}: only filed documents go into a dossier")
        try:
            async with self.session.begin_nested():
                self.session.add(
                    DossierItem(
                        dossier_id=dossier.id,
                        document_id=document.id,
                        added_by=self.principal.user_id,
                        added_by_name=self.principal.name,
                        added_at=now(),
                    )
                )
        except IntegrityError:
            raise conflict("the document is already in the dossier") from None
        return dossier

    async def remove_item(self, dossier_id: UUID, document_id: UUID) -> None:
        dossier = await self._draft(dossier_id)
        removed = await self.session.execute(
            delete(DossierItem)
            .where(DossierItem.dossier_id == dossier.id, DossierItem.document_id == document_id)
            .returning(DossierItem.id)
        )
        if removed.first() is None:
            raise missing("document in this dossier")

    async def submit(self, dossier_id: UUID) -> Dossier:
        dossier = await self._draft(dossier_id)
        # the documents are locked as a deletion locks them, so a deletion and a submission never cross
        states = list(
            await self.session.scalars(
                select(Document.state)
                .join(DossierItem, DossierItem.document_id == Document.id)
                .where(DossierItem.dossier_id == dossier.id)
                .with_for_update(of=Document)
            )
        )
        if not states:
            raise conflict("a dossier without documents cannot be submitted")
        if any(state != DocumentState.ACTIVE for state in states):
            raise conflict("a document of the dossier was deleted since it was added: take it out first")
        dossier.state = DossierState.SUBMITTED
        dossier.submitted_at = now()
        dossier.submitted_by_name = self.principal.name
        await audit.record(
            self.session, "documents.dossier.submitted", subject_type="dossier", subject_id=str(dossier.id)
        )
        return dossier

    async def note(self, dossier_id: UUID, data: NoteCreate) -> DossierNote:
        errors = FieldErrors()
        errors.choice("body.verdict", data.verdict, list(Verdict))
        errors.raise_if_any("the note cannot be taken so")
        dossier = await self.get(dossier_id, for_update=True)
        if not self._reviews(dossier):
            raise forbidden("only the district admin and staff above the unit review its dossiers")
        if data.verdict is not None and dossier.state != DossierState.SUBMITTED:
            raise conflict(f"the dossier is {dossier.state}: a verdict is given on a submitted dossier")
        note = DossierNote(
            dossier_id=dossier.id,
            note=data.note,
            verdict=data.verdict,
            author_id=self.principal.user_id,
            author_name=self.principal.name,
            created_at=now(),
        )
        self.session.add(note)
        if data.verdict == Verdict.ACCEPTED:
            dossier.state = DossierState.ACCEPTED
            dossier.accepted_at = note.created_at
        elif data.verdict == Verdict.RETURNED:
            dossier.state = DossierState.DRAFT  # the notes stay: they say what to add
        await self.session.flush()
        await audit.record(
            self.session,
            "documents.dossier.reviewed",
            subject_type="dossier",
            subject_id=str(dossier.id),
            detail={"verdict": data.verdict},
        )
        return note

    async def page(
        self, unit_path: str | None, state: str | None, *, cursor: str | None, limit: int
    ) -> tuple[list[Dossier], str | None]:
        statement = select(Dossier).where(self._visible())
        if unit_path is not None:
            statement = statement.where(under(Dossier.unit_path, unit_path))
        if state is not None:
            statement = statement.where(Dossier.state == state)
        return await page(self.repository, statement, NEWEST, cursor=cursor, limit=limit)

    async def detail(self, dossier: Dossier) -> DossierDetail:
        items = await self.session.execute(
            select(DossierItem, Document.title, Document.type_code)
            .join(Document, Document.id == DossierItem.document_id)
            .where(DossierItem.dossier_id == dossier.id)
            .order_by(DossierItem.added_at, DossierItem.id)
        )
        notes = await self.session.scalars(
            select(DossierNote).where(DossierNote.dossier_id == dossier.id).order_by(DossierNote.created_at)
        )
        return view(
            DossierDetail,
            dossier,
            items=[view(DossierItemView, item, title=title, type_code=code) for item, title, code in items],
            notes=views(NoteView, notes),
        )
