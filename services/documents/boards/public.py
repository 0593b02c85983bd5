"""The boards as anyone reads them, without signing in (DOC-06): the district by its slug, the publications on show
and a short-lived link to a posted document's file while it is on show.

No principal: the district comes from the path. Its slug is found first (``public_district`` is readable by every
district), then everything else is read in one transaction of that district, through the same RLS as every
request, so another district's slug shows only that district's boards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID

from litestar.datastructures import State
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.documents.boards.models import Board, Publication, PublicDistrict
from services.documents.boards.services import NEWEST, PublicationRepository
from services.documents.boards.showing import Posted, joined, on_show, posted
from services.documents.library.models import Document, DocumentVersion, VersionState
from services.documents.paging import page
from shared.context import tenant_scope
from shared.db.paths import under
from shared.http.problems import missing


class PublicBoardReader:
    """One district's boards, read in one transaction of it."""

    def __init__(self, session: AsyncSession, district: PublicDistrict) -> None:
        self.session = session
        self.district = district

    async def boards(self) -> list[Board]:
        rows = await self.session.scalars(select(Board).where(Board.active).order_by(Board.position, Board.code))
        return list(rows)

    async def board(self, code: str) -> Board:
        found = await self.session.scalar(select(Board).where(Board.code == code, Board.active))
        if found is None:
            raise missing("board")
        return found

    async def on_show(
        self, code: str, unit_path: str | None, *, cursor: str | None, limit: int
    ) -> tuple[list[Publication], dict[UUID, Posted], str | None]:
        statement = joined(select(Publication)).where(Publication.board_code == code, on_show())
        if unit_path is not None:
            statement = statement.where(under(Publication.unit_path, unit_path))
        rows, following = await page(PublicationRepository(self.session), statement, NEWEST, cursor=cursor, limit=limit)
        return rows, await posted(self.session, rows), following

    async def file_of(self, code: str, publication_id: UUID) -> DocumentVersion:
        """The current file of a publication on show; the same 404 for one withdrawn, elsewhere or without a file."""
        version: DocumentVersion | None = await self.session.scalar(
            joined(select(DocumentVersion).select_from(Publication))
            .join(
                DocumentVersion,
                (DocumentVersion.document_id == Document.id) & (DocumentVersion.number == Document.current_version),
            )
            .where(
                Publication.id == publication_id,
                Publication.board_code == code,
                on_show(),
                DocumentVersion.state == VersionState.STORED,
            )
        )
        if version is None:
            raise missing("published file")
        return version


class PublicBoards:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    @asynccontextmanager
    async def district(self, slug: str) -> AsyncIterator[PublicBoardReader]:
        with tenant_scope(None):
            async with self.sessions() as session, session.begin():
                found = await session.scalar(select(PublicDistrict).where(PublicDistrict.slug == slug))
                if found is None:
                    raise missing("district")
                session.expunge(found)
        with tenant_scope(found.tenant_id):
            async with self.sessions() as session, session.begin():
                yield PublicBoardReader(session, found)


def provide_public_boards(state: State) -> PublicBoards:
    return PublicBoards(state.sessionmaker)
