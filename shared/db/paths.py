"""Subtrees of C-collated materialised paths (architecture.md section 3): one btree range, which RLS leaves usable."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Update, and_, func, literal, update
from sqlalchemy.ext.asyncio import AsyncSession


def under(column: Any, path: str) -> ColumnElement[bool]:
    """``column`` lies in the subtree at ``path`` ('~' sorts after every path character in C collation)."""
    return and_(column >= path, column < path + "~")


def rehang(column: Any, old_path: str, new_path: str) -> Update:
    """One range UPDATE re-hanging a moved subtree: every ``column`` value under ``old_path`` reads ``new_path``
    followed by the rest. Session objects are not synchronised: run it before loading the rows it touches."""
    return (
        update(column.class_)
        .where(under(column, old_path))
        .values({column.key: literal(new_path) + func.substr(column, len(old_path) + 1)})
        .execution_options(synchronize_session=False)
    )


async def rehang_all(session: AsyncSession, columns: Iterable[Any], old_path: str, new_path: str) -> None:
    """A moved subtree's copies of paths, one range UPDATE per column (a copy per table that places rows by path)."""
    if old_path == new_path:
        return
    for column in columns:
        await session.execute(rehang(column, old_path, new_path))
