"""Subtrees of C-collated materialised paths (architecture.md section 3): one btree range, which RLS leaves usable."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_


def under(column: Any, path: str) -> ColumnElement[bool]:
    """``column`` lies in the subtree at ``path`` ('~' sorts after every path character in C collation)."""
    return and_(column >= path, column < path + "~")
