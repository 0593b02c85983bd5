"""GET /api/documents/search: the documents the caller may read that contain every word of ``q``, best first."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter

from services.documents.access import READERS
from services.documents.library.controllers import SubjectKindQuery, TypeQuery, UnitPath
from services.documents.paging import Cursor
from services.documents.search.query import SearchFilters
from services.documents.search.schemas import SearchPage
from services.documents.search.services import SearchService, provide_search
from shared.http.guards import requires_role, requires_tenant

# checked by the service, so an empty or overlong query is a 422 naming query.q like every other bad input
Q = Annotated[str | None, QueryParameter(name="q", description="words to find, at most 200 characters")]
SearchLimit = Annotated[int, QueryParameter(name="limit", ge=1, le=100)]


class SearchController(Controller):
    path = "/api/documents/search"
    tags = ["Documents"]
    guards = [requires_tenant, requires_role(*READERS)]
    dependencies = {"searcher": Provide(provide_search, sync_to_thread=False)}

    @get("/", operation_id="SearchDocuments", summary="Full-text search of the documents the caller may read")
    async def search(
        self,
        searcher: NamedDependency[SearchService],
        q: Q = None,
        unit_path: UnitPath = None,
        type_code: TypeQuery = None,
        subject_kind: SubjectKindQuery = None,
        cursor: Cursor = None,
        limit: SearchLimit = 20,
    ) -> SearchPage:
        filters = SearchFilters(unit_path, type_code, subject_kind)
        return await searcher.search(q, filters, cursor=cursor, limit=limit)
