"""advanced-alchemy's async repository, with the platform's conventions, and keyset pages.

- A row that is missing, in another district (RLS hides it) or outside what the caller may see is the same
  404 problem, named by the repository's ``noun``.
- Errors are not wrapped: the problem+json handlers already map SQLAlchemy's (RLS refusals become 404s).
- Lists are keyset-paged on (sort key, id); a cursor is opaque to clients and rejected with a 422 naming
  ``query.after`` when it was not made by a previous page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shared.http.problems import invalid, missing

ModelT = TypeVar("ModelT", bound=Any)


class Repository(SQLAlchemyAsyncRepository[ModelT], Generic[ModelT]):
    noun: ClassVar[str] = "record"

    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session=session, auto_expunge=False, auto_refresh=False, wrap_exceptions=False)

    async def get_or_404(
        self, item_id: Any, *, for_update: bool = False, visible: Callable[[ModelT], bool] | None = None
    ) -> ModelT:
        """The row by primary key (from the session's identity map when loaded), or the district's 404."""
        row: ModelT | None = await self.session.get(self.model_type, item_id, with_for_update=for_update or None)
        if row is None or (visible is not None and not visible(row)):
            raise missing(self.noun)
        return row

    async def one_or_404(self, statement: Select[Any]) -> ModelT:
        row: ModelT | None = await self.session.scalar(statement)
        if row is None:
            raise missing(self.noun)
        return row

    async def page(
        self, statement: Select[Any], keyset: Keyset, *, after: str | None, limit: int
    ) -> tuple[list[ModelT], str | None]:
        """One page of ``statement`` in keyset order, and the cursor of the next page (None on the last)."""
        if after is not None:
            statement = statement.where(keyset.beyond(after))
        rows = list(await self.session.scalars(statement.order_by(*keyset.order).limit(limit + 1)))
        if len(rows) <= limit:
            return rows, None
        rows = rows[:limit]
        return rows, keyset.cursor(rows[-1])


@dataclass(frozen=True, slots=True)
class Keyset:
    """Paging on (``key``, ``id``): a cursor is the last row's key and id, joined by ``separator``."""

    key: InstrumentedAttribute[Any]
    id: InstrumentedAttribute[UUID]
    descending: bool = False
    separator: str = "|"
    parse: Callable[[str], Any] = str  # the key's text in a cursor back to a value

    @property
    def order(self) -> tuple[Any, ...]:
        return (self.key.desc(), self.id.desc()) if self.descending else (self.key, self.id)

    def cursor(self, row: Any) -> str:
        value = getattr(row, self.key.key)
        text = value.isoformat() if hasattr(value, "isoformat") else (value or "")
        return f"{text}{self.separator}{getattr(row, self.id.key)}"

    def decode(self, after: str) -> tuple[Any, UUID]:
        text, _, raw_id = after.rpartition(self.separator)
        try:
            return self.parse(text), UUID(raw_id)
        except ValueError:
            raise invalid("query.after", "not a cursor returned by a previous page") from None

    def beyond(self, after: str) -> Any:
        """Rows after the cursor's, in this keyset's order."""
        key = tuple_(self.key, self.id)
        bound = tuple_(*self.decode(after))
        return key < bound if self.descending else key > bound
