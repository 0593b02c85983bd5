"""Keyset pages as the newer APIs (training, documents) name them: ``?limit&cursor`` in, ``{items, next}`` out."""

from __future__ import annotations

from typing import Annotated, Any

from litestar.params import QueryParameter
from sqlalchemy import Select

from shared.db.repository import Keyset, Repository
from shared.http.problems import ProblemError, invalid

Cursor = Annotated[str | None, QueryParameter(name="cursor", max_length=500)]
Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=200)]


async def page(
    repository: Repository[Any], statement: Select[Any], keyset: Keyset, *, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """``repository.page``, with a cursor that was not made by a previous page named as ``query.cursor``."""
    if cursor is not None:
        try:
            keyset.decode(cursor)
        except ProblemError:
            raise invalid("query.cursor", "not a cursor returned by a previous page") from None
    return await repository.page(statement, keyset, after=cursor, limit=limit)
