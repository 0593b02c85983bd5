"""What member care's lists share: the reader's scope and the unit asked for, and the rows a page refers to."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.people.directory import in_either_tree

T = TypeVar("T")


def under_units(*paths: str | None) -> list[ColumnElement[bool]]:
    """The person lies under every path given (the reader's scope, the unit asked for), in either tree."""
    return [in_either_tree(path) for path in paths if path]


async def by_id(session: AsyncSession, model: type[T], ids: Iterable[UUID]) -> dict[UUID, T]:
    """The rows of ``model`` with these ids, in one query."""
    identity: Any = model
    found = await session.scalars(select(model).where(identity.id.in_(set(ids))))
    return {row.id: row for row in found}  # type: ignore[attr-defined]
