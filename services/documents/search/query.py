"""The search as SQL: documents of one district whose vector has every word of the query, best first.

What is ranked: the newest ``candidates`` (1,000 by default) matches the caller may read, after the filters. A word
in a third of a million-document district used to be ranked in all its matches (over a second: docs/benchmarks.md,
"Documents search"); now a common word walks the district's newest search rows until it has its candidates and a
rare one takes its few matches from the GIN index, the planner choosing by the word's frequency. All of it reads
``document_search`` alone: the document's facts the access filter and the filters need are copied onto it by
triggers (migration 0007), and said once more as lexemes of its vector ("in:/d1/s3/", "by:<user>", "type:photo",
...), so that a street admin's common word is one GIN lookup and one estimate (a range on the path beside the
match made the planner walk a whole district for a word found only in another street). The answer says when the
cap was reached, so a caller can ask for more words.

Why this runs as the ``system`` role (BYPASSRLS) with the district written into the query: under row-level
security PostgreSQL only uses an index for a condition whose operator is leakproof (architecture.md, section 3),
and ``tsvector @@ tsquery`` is not, so under the ``app`` role the GIN index is never used and every document of
the district is scanned (tests/documents/test_search_plan.py shows both plans). The table is therefore filtered on
``tenant_id`` here explicitly, the tenant being the verified token's, and the hits are read back as
documents through the request's own RLS session (``services.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Double, Select, cast, false, func, literal, literal_column, or_, select, tuple_
from sqlalchemy.dialects.postgresql import TSQUERY

from services.documents.library.models import DISTRICT, DocumentState
from services.documents.library.visibility import access_lexemes, readable
from services.documents.search.models import DocumentSearch
from shared.auth.principal import Principal
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


def any_of(lexemes: Sequence[str]) -> str:
    """A tsquery's text matching a row with any of ``lexemes`` (quoted whole: they hold ':' and '/')."""
    quoted = " | ".join("'" + lexeme.replace("'", "''") + "'" for lexeme in lexemes)
    return f"({quoted})"


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
    candidates: int,
) -> Select[Any]:
    """The page of hits after ``after``, best first, each with how many matches were ranked (``considered``):
    the newest ``candidates`` matches."""
    query = tsquery(words)
    rows = DocumentSearch
    lexemes = access_lexemes(principal)
    # what the caller may read, said to the GIN index and the planner as lexemes where it can be (see above), with
    # the row's state beside them; as the row filter itself where it cannot
    allowed = [rows.tenant_id == tenant, rows.state != DocumentState.DELETED]  # the tenant: as RLS would
    if lexemes is None:
        allowed.append(readable(principal, rows))
    elif not lexemes:
        allowed.append(false())
    else:
        allowed.append(or_(rows.state != DocumentState.PENDING, rows.created_by == principal.user_id))
    wanted = [any_of(lexemes)] if lexemes else []
    if filters.unit_path is not None and filters.unit_path != DISTRICT:
        wanted.append(any_of([f"in:{filters.unit_path}"]))
    if filters.type_code is not None:
        wanted.append(any_of([f"type:{filters.type_code}"]))
    if filters.subject_kind is not None:
        wanted.append(any_of([f"on:{filters.subject_kind}"]))
    found_by = query.op("&&")(cast(literal(" & ".join(wanted)), TSQUERY)) if wanted else query
    newest = (
        select(rows.document_id.label("id"), rows.created_at, rows.vector)
        .where(rows.vector.op("@@")(found_by), *allowed)
        .order_by(rows.created_at.desc(), rows.document_id.desc())
        .limit(candidates)
    )
    found = newest.cte("newest")  # read twice below, so PostgreSQL computes it once
    score = cast(func.ts_rank(found.c.vector, query), Double)
    ranked = select(found.c.id, found.c.created_at, score.label("rank")).subquery("ranked")
    considered = select(func.count()).select_from(found).scalar_subquery()
    statement = select(ranked.c.id, ranked.c.created_at, ranked.c.rank, considered.label("considered"))
    if after is not None:
        statement = statement.where(
            tuple_(ranked.c.rank, ranked.c.created_at, ranked.c.id) < tuple_(after.rank, after.created_at, after.id)
        )
    return statement.order_by(ranked.c.rank.desc(), ranked.c.created_at.desc(), ranked.c.id.desc()).limit(limit)
