"""Counting the SQL statements a piece of work sends (round trips are what the hot paths are budgeted in)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def counted() -> Iterator[list[str]]:
    """Every statement any engine of this process sends while the block runs, but the tenant binding."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.startswith("SELECT set_config('app.tenant_id'"):
            statements.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    if os.environ.get("REDCELL_SHOW_STATEMENTS"):
        for statement in statements:
            print(" ".join(statement.split())[:300])
        print(len(statements), "statements")
