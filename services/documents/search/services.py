"""Searching a district's documents (DOC-06): the ranked ids from the system role's query (``query.py``), then the
documents themselves through the request's RLS session and the same ``readable`` filter."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any
from uuid import UUID

from litestar import Litestar, Request
from litestar.di import NamedDependency
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.documents import SERVICE
from services.documents.library.models import Document
from services.documents.library.services import DocumentService
from services.documents.library.views import document_view
from services.documents.library.visibility import readable
from services.documents.search.indexing import field_values
from services.documents.search.models import DocumentSearch
from services.documents.search.query import AFTER, BEFORE, After, SearchFilters, around, search_statement
from services.documents.search.schemas import SearchHit, SearchPage
from services.documents.search.words import query_words, tokenizer
from services.documents.settings import get_documents_settings
from shared.auth.principal import Principal
from shared.context import require_tenant
from shared.db.cells import CellEngines
from shared.http.guards import principal_of
from shared.http.problems import invalid
from shared.settings import Settings

QUERY_CHARS = 200


def search_engine(settings: Settings) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """The API's lifespan part: the system role's small pool for searches, and jieba loaded."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        engines = CellEngines(settings, SERVICE, "system", pool_size=2, max_overflow=3)
        app.state.search_engines = engines
        await asyncio.to_thread(tokenizer)  # jieba's dictionary loads in ~1 s: before the first search, not in it
        try:
            yield
        finally:
            await engines.dispose()

    return lifespan


def snippet(texts: list[str | None], words: list[str]) -> str | None:
    """The text around the first place one of ``words`` occurs, looking in ``texts`` in order."""
    for text in texts:
        if not text:
            continue
        lowered = text.lower()
        found = [at for at in (lowered.find(word) for word in words) if at >= 0]
        if found:
            at = min(found)
            start, end = max(0, at - BEFORE), min(len(text), at + AFTER)
            piece = " ".join(text[start:end].split())
            return ("…" if start else "") + piece + ("…" if end < len(text) else "")
    return None


class SearchService:
    def __init__(self, session: AsyncSession, principal: Principal, engine: AsyncEngine) -> None:
        self.session = session
        self.principal = principal
        self.engine = engine

    async def search(self, q: str | None, filters: SearchFilters, *, cursor: str | None, limit: int) -> SearchPage:
        if q is None or not q.strip():
            raise invalid("query.q", "give the words to search for")
        if len(q) > QUERY_CHARS:
            raise invalid("query.q", f"at most {QUERY_CHARS} characters")
        words = query_words(q)
        if not words:
            raise invalid("query.q", "no words to search for (only punctuation)")
        after = After.decode(cursor) if cursor is not None else None
        candidates = get_documents_settings().search_candidates
        statement = search_statement(
            require_tenant(),
            self.principal,
            words,
            filters=filters,
            after=after,
            limit=limit + 1,
            candidates=candidates,
        )
        async with self.engine.connect() as connection:
            hits = list(await connection.execute(statement))
        limited = bool(hits) and hits[0].considered >= candidates
        following = None
        if len(hits) > limit:
            hits = hits[:limit]
            following = After(hits[-1].rank, hits[-1].created_at, hits[-1].id)
        # read back through RLS and the same access filter: what is shown is what the caller may read
        rows = await self.session.scalars(
            select(Document).where(Document.id.in_([hit.id for hit in hits]), readable(self.principal))
        )
        documents = {row.id: row for row in rows}
        found = select(DocumentSearch.document_id, around(max(words, key=len)))
        rows_found = await self.session.execute(found.where(DocumentSearch.document_id.in_(list(documents))))
        texts: dict[UUID, str] = dict(rows_found.all())  # a list of pairs (a Result itself has keys())
        current = await DocumentService(self.session, self.principal).current(list(documents.values()))
        items = [
            SearchHit(
                document=document_view(document, current.get(document.id)),
                rank=hit.rank,
                snippet=snippet(
                    [texts.get(hit.id), document.description, document.title, *field_values(document.fields)], words
                ),
            )
            for hit in hits
            if (document := documents.get(hit.id)) is not None
        ]
        return SearchPage(items=items, next=following.encode() if following else None, limited=limited)


def provide_search(request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> SearchService:
    principal = principal_of(request)
    engines: CellEngines = request.app.state.search_engines
    return SearchService(db_session, principal, engines.for_tenant(principal.tenant_id))
