"""The search as SQL: documents of one district whose vector has every word of the query, best first.

Why this runs as the ``system`` role (BYPASSRLS) with the district written into the query: under row-level
security PostgreSQL only uses an index for a condition whose operator is leakproof (architecture.md, section 3),
and ``tsvector @@ tsquery`` is not, so under the ``app`` role the GIN index is never used and every document of
the district is scanned (tests/documents/test_search_plan.py shows both plans). Both tables are therefore
filtered on ``tenant_id`` here explicitly, the tenant being the verified token's, and the hits are read back as
documents through the request's own RLS session (``services.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Double, Select, cast, func, literal_column, select, tuple_

from services.documents.library.models import Document, DocumentState
from services.documents.library.visibility import readable
from services.documents.search.models import DocumentSearch
from shared.auth.principal import Principal
from shared.db.paths import under
from shared.http.problems import invalid

SIMPLE: ColumnElement[Any] = literal_column("'simple'::regconfig")
BEFORE, AFTER = 30, 60  # characters of a snippet around the word found


@dataclass(frozen=True, slots=True)
class SearchFilters:
    unit_path: str | None = None
    type_code: str | None = None
    subject_kind: str | None = None


@dataclass(frozen=True, slots=True)
class After:
    """A cursor: the last hit's rank, creation time and id."""

    rank: float
    created_at: datetime
    id: UUID

    def encode(self) -> str:
        return f"{self.rank!r}|{self.created_at.isoformat()}|{self.id}"

    @classmethod
    def decode(cls, cursor: str) -> After:
        try:
            rank, created_at, document_id = cursor.split("|")
            return cls(float(rank), datetime.fromisoformat(created_at), UUID(document_id))
        except ValueError:
            raise invalid("query.cursor", "not a cursor returned by a previous page") from None


def tsquery(words: list[str]) -> Any:
    """Every word must match: the ``simple`` parser reads the space-joined words as one AND query."""
    return func.plainto_tsquery(SIMPLE, " ".join(words))


def around(word: str) -> Any:
    """The part of the file's text around ``word`` (its beginning when the word is elsewhere): enough for a snippet
    without fetching up to 100,000 characters per hit; asked for the page's hits only, not for every match."""
    at = func.strpos(func.lower(DocumentSearch.body), word)
    return func.substr(DocumentSearch.body, func.greatest(1, at - BEFORE), BEFORE + AFTER + len(word))


def search_statement(
    tenant: UUID,
    principal: Principal,
    words: list[str],
    *,
    filters: SearchFilters,
    after: After | None = None,
    limit: int,
) -> Select[Any]:
    query = tsquery(words)
    score = cast(func.ts_rank(DocumentSearch.vector, query), Double)
    ranked = (
        select(DocumentSearch.document_id, score.label("rank"))
        .where(
            DocumentSearch.tenant_id == tenant,  # the RLS policy's condition, written out (see above)
            DocumentSearch.vector.op("@@")(query),
        )
        # ORDER BY keeps this subquery apart: only ids and ranks travel to the join and the sort, not the vectors
        # (carried along, they made the sort of a common word's matches spill to disk), and the join then walks
        # the matches best first until a page passes the access filter
        .order_by(score.desc())
        .subquery("ranked")
    )
    rank = ranked.c.rank
    statement = (
        select(Document.id, Document.created_at, rank)
        .select_from(ranked)
        .join(Document, Document.id == ranked.c.document_id)
        .where(Document.tenant_id == tenant, readable(principal), Document.state != DocumentState.DELETED)
    )
    if filters.unit_path is not None:
        statement = statement.where(under(Document.anchor_path, filters.unit_path))
    if filters.type_code is not None:
        statement = statement.where(Document.type_code == filters.type_code)
    if filters.subject_kind is not None:
        statement = statement.where(Document.subject_kind == filters.subject_kind)
    if after is not None:
        statement = statement.where(
            tuple_(rank, Document.created_at, Document.id) < tuple_(after.rank, after.created_at, after.id)
        )
    return statement.order_by(rank.desc(), Document.created_at.desc(), Document.id.desc()).limit(limit)
