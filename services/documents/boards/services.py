"""Staff's boards (DOC-06): posting a public document on a unit's board, withdrawing it, the lists and the log.

Staff post on units within their scope, and only documents they may read, active, of a type whose visibility is
``public``; every publish and withdraw is written to the append-only log (who, when, what, why) and the audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.boards.models import Board, LogAction, Publication, PublicationLog, PublicationState
from services.documents.boards.schemas import PublicationCreate
from services.documents.boards.showing import joined, on_show
from services.documents.library.models import Document, DocumentState
from services.documents.library.services import DocumentService
from services.documents.paging import page
from services.documents.types.models import DocumentType, Visibility
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.paths import under
from shared.db.repository import Keyset, Repository
from shared.http.problems import ProblemError, conflict, missing

NEWEST = Keyset(Publication.published_at, Publication.id, descending=True, parse=datetime.fromisoformat)
LOG_NEWEST = Keyset(PublicationLog.at, PublicationLog.id, descending=True, parse=datetime.fromisoformat)


class PublicationRepository(Repository[Publication]):
    model_type = Publication
    noun = "publication"


class LogRepository(Repository[PublicationLog]):
    model_type = PublicationLog
    noun = "log entry"


@dataclass(frozen=True, slots=True)
class Actor:
    id: UUID | None  # None: the platform
    name: str | None


async def write_log(
    session: AsyncSession, row: Publication, *, title: str, action: LogAction, actor: Actor, reason: str | None = None
) -> None:
    session.add(
        PublicationLog(
            publication_id=row.id,
            board_code=row.board_code,
            action=action,
            document_id=row.document_id,
            title=title,
            unit_path=row.unit_path,
            unit_name=row.unit_name,
            reason=reason,
            actor_id=actor.id,
            actor_name=actor.name,
        )
    )
    await audit.record(
        session,
        f"documents.board.{action}",
        subject_type="publication",
        subject_id=str(row.id),
        detail={"board": row.board_code, "document": str(row.document_id)},
    )


class BoardService:
    def __init__(self, session: AsyncSession, principal: Principal, documents: DocumentService) -> None:
        self.session = session
        self.principal = principal
        self.documents = documents
        self.publications = PublicationRepository(session)
        self.entries = LogRepository(session)

    def _in_scope(self, column: Any) -> ColumnElement[bool]:
        return true() if self.principal.scope is None else under(column, self.principal.scope)

    async def boards(self) -> list[tuple[Board, int]]:
        """The district's boards, each with the publications on show within the caller's scope."""
        counts = (
            joined(select(Publication.board_code, func.count().label("n")).select_from(Publication))
            .where(on_show(), self._in_scope(Publication.unit_path))
            .group_by(Publication.board_code)
            .subquery()
        )
        rows = await self.session.execute(
            select(Board, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.board_code == Board.code)
            .where(Board.active)
            .order_by(Board.position, Board.code)
        )
        return [(board, int(count)) for board, count in rows]

    async def board(self, code: str) -> Board:
        found = await self.session.scalar(select(Board).where(Board.code == code, Board.active))
        if found is None:
            raise missing("board")
        return found

    async def page(
        self, code: str, unit_path: str | None, state: str | None, *, cursor: str | None, limit: int
    ) -> tuple[list[Publication], str | None]:
        await self.board(code)
        statement = select(Publication).where(Publication.board_code == code, self._in_scope(Publication.unit_path))
        if unit_path is not None:
            statement = statement.where(under(Publication.unit_path, unit_path))
        if state is not None:
            statement = statement.where(Publication.state == state)
        return await page(self.publications, statement, NEWEST, cursor=cursor, limit=limit)

    async def get(self, publication_id: UUID, *, for_update: bool = False) -> Publication:
        """The publication, or the district's 404 when it is elsewhere or on a unit outside the caller's scope."""
        statement = select(Publication).where(Publication.id == publication_id, self._in_scope(Publication.unit_path))
        return await self.publications.one_or_404(statement.with_for_update() if for_update else statement)

    async def log(self, code: str, *, cursor: str | None, limit: int) -> tuple[list[PublicationLog], str | None]:
        await self.board(code)
        statement = select(PublicationLog).where(
            PublicationLog.board_code == code, self._in_scope(PublicationLog.unit_path)
        )
        return await page(self.entries, statement, LOG_NEWEST, cursor=cursor, limit=limit)

    def _actor(self) -> Actor:
        return Actor(self.principal.user_id, self.principal.name)

    async def publish(self, code: str, data: PublicationCreate) -> tuple[Publication, Document]:
        board = await self.board(code)
        document = await self.documents.get(data.document_id)
        if document.state != DocumentState.ACTIVE:
            raise conflict(f"the document is {document.state}: only an active document can be published")
        doc_type = await self.session.scalar(select(DocumentType).where(DocumentType.code == document.type_code))
        if doc_type is None or doc_type.visibility != Visibility.PUBLIC:
            visibility = doc_type.visibility if doc_type else "unknown"
            raise conflict(
                f"documents of type {document.type_code} are {visibility}, not public: they cannot be published"
            )
        if data.unit_path is not None:
            unit_id, unit_path, unit_name = data.unit_id, data.unit_path, data.unit_name
        else:
            unit_path = document.unit_path or document.anchor_path
            unit_id = data.unit_id or document.unit_id
            unit_name = data.unit_name or document.unit_name
        if not self.principal.may_see_path(unit_path):
            raise ProblemError(403, f"body.unitPath: {unit_path} is outside your scope", title="Forbidden")
        live = await self.session.scalar(
            select(Publication.id).where(
                Publication.board_code == board.code,
                Publication.document_id == document.id,
                Publication.unit_path == unit_path,
                Publication.state == PublicationState.PUBLISHED,
            )
        )
        if live is not None:
            raise conflict(f"the document is already published on {board.name} at that unit ({live})")
        actor = self._actor()
        row = Publication(
            board_code=board.code,
            document_id=document.id,
            unit_id=unit_id,
            unit_path=unit_path,
            unit_name=unit_name,
            note=data.note,
            state=PublicationState.PUBLISHED,
            published_at=now(),
            published_by=actor.id,
            published_by_name=actor.name,
        )
        self.session.add(row)
        await self.session.flush()
        await write_log(self.session, row, title=document.title, action=LogAction.PUBLISHED, actor=actor)
        return row, document

    async def withdraw(self, publication_id: UUID, reason: str) -> Publication:
        row = await self.get(publication_id, for_update=True)
        if row.state != PublicationState.PUBLISHED:
            raise conflict("the publication is already withdrawn")
        actor = self._actor()
        row.state = PublicationState.WITHDRAWN
        row.withdrawn_at = now()
        row.withdrawn_by, row.withdrawn_by_name = actor.id, actor.name
        row.withdraw_reason = reason
        title = await self.session.scalar(select(Document.title).where(Document.id == row.document_id))
        await write_log(self.session, row, title=title or "", action=LogAction.WITHDRAWN, actor=actor, reason=reason)
        return row
