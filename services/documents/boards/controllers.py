"""Boards (DOC-06): staff post and withdraw publications and read the log; anyone reads a district's boards by its
slug, without signing in (``/api/documents/public/`` is public in this app and in the gateway)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter

from services.documents.access import STAFF
from services.documents.boards.models import PublicationState
from services.documents.boards.public import PublicBoards, provide_public_boards
from services.documents.boards.schemas import (
    BoardList,
    BoardView,
    LogEntryView,
    LogPage,
    PublicationCreate,
    PublicationPage,
    PublicationView,
    PublicBoardIndex,
    PublicBoardPage,
    PublicBoardRef,
    PublicFileLink,
    Withdrawal,
)
from services.documents.boards.services import BoardService
from services.documents.boards.showing import posted
from services.documents.boards.views import public_posting, publication_view
from services.documents.files.store import FileStore
from services.documents.paging import Cursor, Limit
from shared.clock import now
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views
from shared.storage import OCTET_STREAM

BoardCode = Annotated[str, PathParameter(max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
Slug = Annotated[str, PathParameter(max_length=63, pattern=r"^[a-z0-9][a-z0-9-]*$")]
UnitPath = Annotated[
    str | None,
    QueryParameter(name="unitPath", max_length=400, pattern=r"^/([^/]+/)*$", description="publications at or under it"),
]
StateQuery = Annotated[str | None, QueryParameter(name="state", pattern="^(" + "|".join(PublicationState) + ")$")]


class BoardController(Controller):
    path = "/api/documents"
    tags = ["Boards"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"boards": provide_service(BoardService)}

    @get("/boards", operation_id="ListBoards", summary="The district's boards, with what is on show in your scope")
    async def list_boards(self, boards: NamedDependency[BoardService]) -> BoardList:
        return BoardList(items=[view(BoardView, row, published=count) for row, count in await boards.boards()])

    @get(
        "/boards/{code:str}/publications",
        operation_id="ListPublications",
        summary="A board's publications within your scope, newest first, published and withdrawn",
    )
    async def list_publications(
        self,
        boards: NamedDependency[BoardService],
        code: BoardCode,
        unit_path: UnitPath = None,
        publication_state: StateQuery = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> PublicationPage:
        rows, following = await boards.page(code, unit_path, publication_state, cursor=cursor, limit=limit)
        shown = await posted(boards.session, rows)
        return PublicationPage(
            items=[publication_view(row, shown.get(row.document_id)) for row in rows], next=following
        )

    @post(
        "/boards/{code:str}/publications",
        operation_id="Publish",
        status_code=201,
        summary="Post a public document on a unit's board (its title, public fields and the date are shown)",
    )
    async def publish(
        self, boards: NamedDependency[BoardService], code: BoardCode, data: JSONBody[PublicationCreate]
    ) -> PublicationView:
        row, document = await boards.publish(code, data)
        return publication_view(row, (await posted(boards.session, [row])).get(document.id))

    @get("/boards/{code:str}/log", operation_id="ListBoardLog", summary="Who published and withdrew what, and why")
    async def board_log(
        self, boards: NamedDependency[BoardService], code: BoardCode, cursor: Cursor = None, limit: Limit = 50
    ) -> LogPage:
        rows, following = await boards.log(code, cursor=cursor, limit=limit)
        return LogPage(items=views(LogEntryView, rows), next=following)

    @get("/publications/{publication_id:uuid}", operation_id="GetPublication", summary="One publication")
    async def get_publication(
        self, boards: NamedDependency[BoardService], publication_id: FromPath[UUID]
    ) -> PublicationView:
        row = await boards.get(publication_id)
        return publication_view(row, (await posted(boards.session, [row])).get(row.document_id))

    @post(
        "/publications/{publication_id:uuid}/withdraw",
        operation_id="WithdrawPublication",
        status_code=200,
        summary="Take a publication off its board, with the reason (it leaves the public page at once)",
    )
    async def withdraw(
        self, boards: NamedDependency[BoardService], publication_id: FromPath[UUID], data: JSONBody[Withdrawal]
    ) -> PublicationView:
        row = await boards.withdraw(publication_id, data.reason)
        return publication_view(row, (await posted(boards.session, [row])).get(row.document_id))


class PublicBoardController(Controller):
    path = "/api/documents/public/{slug:str}"
    tags = ["Public boards"]
    dependencies = {"public": Provide(provide_public_boards, sync_to_thread=False)}

    @get("/boards", operation_id="ListPublicBoards", summary="A district's boards, for anyone (no sign-in)")
    async def list_boards(self, public: NamedDependency[PublicBoards], slug: Slug) -> PublicBoardIndex:
        async with public.district(slug) as district:
            rows = await district.boards()
            return PublicBoardIndex(district=district.district.name, boards=views(PublicBoardRef, rows))

    @get(
        "/boards/{code:str}",
        operation_id="ReadPublicBoard",
        summary="What a board shows now, newest first: titles, public fields and dates only (no sign-in)",
    )
    async def read_board(
        self,
        public: NamedDependency[PublicBoards],
        slug: Slug,
        code: BoardCode,
        unit_path: UnitPath = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> PublicBoardPage:
        async with public.district(slug) as district:
            board = await district.board(code)
            rows, shown, following = await district.on_show(code, unit_path, cursor=cursor, limit=limit)
            return PublicBoardPage(
                district=district.district.name,
                board=view(PublicBoardRef, board),
                items=[public_posting(row, shown[row.document_id]) for row in rows],
                next=following,
            )

    @get(
        "/boards/{code:str}/publications/{publication_id:uuid}/file",
        operation_id="GetPublicFile",
        summary="A short-lived link to a posted document's file, while it is on show (no sign-in)",
    )
    async def file(
        self,
        public: NamedDependency[PublicBoards],
        files: NamedDependency[FileStore],
        slug: Slug,
        code: BoardCode,
        publication_id: FromPath[UUID],
    ) -> PublicFileLink:
        ttl = timedelta(seconds=files.config.download_url_ttl_s)
        async with public.district(slug) as district:  # signed within the district: its key is checked against it
            version = await district.file_of(code, publication_id)
            content_type = version.content_type or OCTET_STREAM
            url = files.presigned_get(
                version.object_key, ttl, filename=version.filename, content_type=content_type, inline=False
            )
        return PublicFileLink(
            url=url,
            expires_at=now() + ttl,
            filename=version.filename,
            content_type=version.content_type,
            size_bytes=version.size_bytes,
        )
