"""Rows a transaction only appends (audit entries, outbox events) and its notifications, sent in one statement
when the transaction commits instead of one round trip each.

A round trip costs a request about as much CPU as its Python does on this machine kind (the socket's send and
the wake-up of PostgreSQL are charged to the sender; docs/benchmarks.md), and a hotline call used to spend three
of its fourteen on an audit entry, an outbox event and the live stream's notification. Queued here, they go as
``WITH a0 AS (INSERT ...), a1 AS (INSERT ...) SELECT pg_notify(...)`` just before COMMIT, after the session's last
flush (an entry may refer to a row the flush writes): in the same transaction, so they are kept or lost with it
exactly as before. Inside a savepoint a row is written at once instead (a savepoint rolled back must take its
rows with it).

SQLAlchemy does not cache a multi-row ``INSERT``'s compiled form, and compiling it took about 7 % of a ticket
creation's CPU in the API (py-spy); so the statement is written once per shape (which tables, which columns, how
many rows, how many notices) as a ``text()`` with typed parameters, which SQLAlchemy does cache.
"""

from __future__ import annotations

from contextlib import nullcontext
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, TextClause, bindparam, event, func, insert, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from shared.context import current_tenant, tenant_scope

_PENDING = "redcell_appends"
_TENANT = "redcell_appends_tenant"
_installed = False
_QUOTE = postgresql.dialect().identifier_preparer  # type: ignore[no-untyped-call]  # SQLAlchemy's dialects are untyped
# one statement's shape: (table, its columns, rows) per table, then the number of notices
Shape = tuple[tuple[tuple[Table, tuple[str, ...], int], ...], int]


async def append(session: AsyncSession, table: Table, values: dict[str, Any]) -> None:
    """Insert ``values`` into ``table`` as the transaction commits (at once inside a savepoint)."""
    if session.sync_session.in_nested_transaction():
        await session.execute(insert(table).values(**values))
        return
    _install()
    _pending(session.sync_session).append((table, values))


async def notify(session: AsyncSession, channel: str, payload: str) -> None:
    """``pg_notify(channel, payload)`` as the transaction commits (PostgreSQL delivers it only then anyway)."""
    if session.sync_session.in_nested_transaction():
        await session.execute(select(func.pg_notify(channel, payload)))
        return
    _install()
    _pending(session.sync_session).append((channel, payload))


def _pending(session: Session) -> list[tuple[Any, Any]]:
    if _PENDING not in session.info:
        # the district the rows were made for: bound if the transaction's first statement is theirs at commit
        session.info[_TENANT] = current_tenant.get()
    pending: list[tuple[Any, Any]] = session.info.setdefault(_PENDING, [])
    return pending


def _send(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    tenant = session.info.pop(_TENANT, None)
    if not pending:
        return
    # One multi-row INSERT per table, its rows in the order they were appended: PostgreSQL runs a statement's
    # INSERT CTEs in no set order, but numbers the rows of one VALUES list as they come (an audit trail's order).
    by_table: dict[tuple[Table, tuple[str, ...]], list[dict[str, Any]]] = {}
    for table, values in pending:
        if isinstance(table, Table):
            by_table.setdefault((table, tuple(values)), []).append(values)
    notices = [(channel, payload) for channel, payload in pending if isinstance(channel, str)]
    shape = (tuple((table, columns, len(rows)) for (table, columns), rows in by_table.items()), len(notices))
    params: dict[str, Any] = {}
    for n, ((_, columns), rows) in enumerate(by_table.items()):
        for i, row in enumerate(rows):
            params.update({f"a{n}_{i}_{k}": row[column] for k, column in enumerate(columns)})
    for j, (channel, payload) in enumerate(notices):
        params[f"n{j}_channel"], params[f"n{j}_payload"] = channel, payload
    with tenant_scope(tenant) if tenant is not None else nullcontext():
        session.flush()  # the rows the appended ones refer to (a ticket's history, its events) are written first
        session.execute(_statement(shape), params)


@lru_cache(maxsize=256)
def _statement(shape: Shape) -> TextClause:
    """``WITH append_0 AS (INSERT INTO t (...) VALUES (...), (...)), ... SELECT pg_notify(...), ...`` for ``shape``,
    its parameters typed as the columns are (a JSONB column's dict is encoded, a UUID bound as one)."""
    tables, notices = shape
    ctes, binds = [], []
    for n, (table, columns, count) in enumerate(tables):
        rows = []
        for i in range(count):
            names = [f"a{n}_{i}_{k}" for k in range(len(columns))]
            rows.append("(" + ", ".join(f":{name}" for name in names) + ")")
            binds += [bindparam(name, type_=table.c[column].type) for name, column in zip(names, columns, strict=True)]
        target, quoted = _QUOTE.format_table(table), ", ".join(_QUOTE.quote(column) for column in columns)
        values = ", ".join(rows)
        ctes.append(f"append_{n} AS (INSERT INTO {target} ({quoted}) VALUES {values})")  # noqa: S608 - names quoted, values bound
    selects = ", ".join(f"pg_notify(:n{j}_channel, :n{j}_payload)" for j in range(notices)) or "1"
    sql = (f"WITH {', '.join(ctes)} " if ctes else "") + f"SELECT {selects}"
    return text(sql).bindparams(*binds)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint's release: the outer commit sends them
        return
    _send(session)


def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the transaction ended (committed, sent already; or rolled back: dropped)
        session.info.pop(_PENDING, None)
        session.info.pop(_TENANT, None)


def _install() -> None:
    global _installed  # noqa: PLW0603 - process-wide listeners, registered once
    if not _installed:
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_transaction_end", _forget)
        _installed = True
