"""Rows a transaction only appends (audit entries, outbox events) and its notifications, sent in one statement
when the transaction commits instead of one round trip each.

A round trip costs a request about as much CPU as its Python does on this machine kind (the socket's send and
the wake-up of PostgreSQL are charged to the sender; docs/benchmarks.md), and a hotline call used to spend three
of its fourteen on an audit entry, an outbox event and the live stream's notification. Queued here, they go as
``WITH a0 AS (INSERT ...), a1 AS (INSERT ...) SELECT pg_notify(...)`` just before COMMIT, after the session's last
flush (an entry may refer to a row the flush writes): in the same transaction, so they are kept or lost with it
exactly as before. Inside a savepoint a row is written at once instead (a savepoint rolled back must take its
rows with it).
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from sqlalchemy import Table, event, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from shared.context import current_tenant, tenant_scope

_PENDING = "redcell_appends"
_TENANT = "redcell_appends_tenant"
_installed = False


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
    ctes = [insert(table).values(rows).cte(f"append_{n}") for n, ((table, _), rows) in enumerate(by_table.items())]
    notices = [func.pg_notify(channel, payload) for channel, payload in pending if isinstance(channel, str)]
    statement = select(*notices) if notices else select(literal(1))
    with tenant_scope(tenant) if tenant is not None else nullcontext():
        session.flush()  # the rows the appended ones refer to (a ticket's history, its events) are written first
        session.execute(statement.add_cte(*ctes) if ctes else statement)


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
