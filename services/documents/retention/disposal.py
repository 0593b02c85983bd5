"""What the archive has to decide on: documents past their retention (disposal is a person's decision, never
automatic) and documents whose type asks for a periodic refresh (the household archive's semiannual one, DOC-04)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, exists, false, func, literal, select

from services.documents.dossiers.models import LOCKED, Dossier, DossierItem
from services.documents.library.models import Document, DocumentState, DocumentVersion, VersionState
from services.documents.library.schemas import DocumentView
from services.documents.library.services import DocumentRepository, DocumentService
from services.documents.library.views import document_view
from services.documents.library.visibility import readable
from services.documents.paging import page
from services.documents.retention.rules import ZONE, today
from services.documents.retention.schemas import RefreshView
from services.documents.types.models import DocumentType
from shared.clock import now
from shared.db.paths import under
from shared.db.repository import Keyset

SOONEST_DUE = Keyset(Document.retain_until, Document.id, parse=date.fromisoformat)
OLDEST = Keyset(Document.created_at, Document.id, parse=datetime.fromisoformat)


def months_on(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


class DisposalService:
    def __init__(self, documents: DocumentService) -> None:
        self.documents = documents
        self.session = documents.session
        self.repository = DocumentRepository(documents.session)

    def _live(self, unit_path: str | None) -> Select[Any]:
        statement = select(Document).where(readable(self.documents.principal), Document.state == DocumentState.ACTIVE)
        return statement if unit_path is None else statement.where(under(Document.anchor_path, unit_path))

    async def due(
        self, unit_path: str | None, *, cursor: str | None, limit: int
    ) -> tuple[list[DocumentView], str | None]:
        """Documents past their last day, not held and not in a submitted dossier, soonest expired first."""
        in_dossier = (
            select(DossierItem.id)
            .join(Dossier, Dossier.id == DossierItem.dossier_id)
            .where(DossierItem.document_id == Document.id, Dossier.state.in_(LOCKED))
        )
        statement = self._live(unit_path).where(
            Document.retain_until < today(), Document.legal_hold == false(), ~exists(in_dossier)
        )
        rows, following = await page(self.repository, statement, SOONEST_DUE, cursor=cursor, limit=limit)
        current = await self.documents.current(rows)
        return [document_view(row, current.get(row.id)) for row in rows], following

    async def refresh_due(
        self, unit_path: str | None, *, cursor: str | None, limit: int
    ) -> tuple[list[RefreshView], str | None]:
        """Documents of a type with ``refresh_months`` whose current version is older than that, oldest filed first."""
        statement = (
            self._live(unit_path)
            .join(DocumentType, DocumentType.code == Document.type_code)
            .join(
                DocumentVersion,
                and_(
                    DocumentVersion.document_id == Document.id,
                    DocumentVersion.number == Document.current_version,
                    DocumentVersion.state == VersionState.STORED,
                ),
            )
            .where(
                DocumentType.refresh_months.is_not(None),
                DocumentVersion.stored_at < literal(now()) - func.make_interval(0, DocumentType.refresh_months),
            )
        )
        rows, following = await page(self.repository, statement, OLDEST, cursor=cursor, limit=limit)
        current = await self.documents.current(rows)
        by_type = await self.session.execute(select(DocumentType.code, DocumentType.refresh_months))
        months: dict[str, int | None] = dict(by_type.all())
        items = []
        for row in rows:
            version, every = current[row.id], months[row.type_code] or 0
            stored_at = version.stored_at or version.created_at
            items.append(
                RefreshView(
                    document=document_view(row, version),
                    refresh_months=every,
                    stored_at=stored_at,
                    refresh_due_on=months_on(stored_at.astimezone(ZONE).date(), every),
                )
            )
        return items, following
