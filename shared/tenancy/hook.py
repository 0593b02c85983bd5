"""The one place the tenant reaches PostgreSQL: ``set_config(..., true)`` at the start of each transaction.

Transaction-local (``true``) so a pooled connection never carries a tenant into another request.

It costs no round trip of its own: SQLAlchemy's asyncpg driver begins a transaction lazily, just before the first
statement, with a ``BEGIN`` sent alone. The engine's connections (``TenantBindingConnection``, see
``shared/db/engine.py``) send the tenant in that same message (``BEGIN; SELECT set_config(...)``: the simple query
protocol takes several statements, and the transaction block the BEGIN opens outlives the message). So a request's
transaction is one round trip before its first query, as it was before there was a tenant. Where that does not
apply (another driver, or a session joining a transaction already begun), the tenant is set by a statement of its
own, as before.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy import event, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from shared.context import current_tenant

_SET_TENANT = text("SELECT set_config('app.tenant_id', :tenant, true)")
# In a session's ``info``: its first statement binds the tenant itself (the event consumer's inbox insert), which
# saves a round trip per message; until it runs, the RLS predicate sees no tenant and matches nothing.
BINDS_TENANT = "redcell_binds_tenant"
_installed = False


class TenantBindingConnection(asyncpg.Connection):  # type: ignore[misc]  # asyncpg is untyped
    """An asyncpg connection that appends a pending tenant to its next ``BEGIN`` (one round trip for both)."""

    __slots__ = ("_tenant_at_begin",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tenant_at_begin: str | None = None

    def bind_tenant_at_begin(self, tenant: UUID | None) -> None:
        """Send ``tenant`` (None: no tenant) with the next BEGIN; the value is a UUID, so the literal is safe."""
        self._tenant_at_begin = str(UUID(str(tenant))) if tenant else ""

    def forget_tenant(self) -> None:
        self._tenant_at_begin = None

    async def execute(self, query: str, *args: Any, timeout: float | None = None) -> str:  # noqa: ASYNC109 - asyncpg's
        tenant = self._tenant_at_begin
        if tenant is not None and not args and query.lstrip().upper().startswith("BEGIN"):
            self._tenant_at_begin = None
            query = f"{query.rstrip().rstrip(';')}; SELECT set_config('app.tenant_id', '{tenant}', true)"
        status: str = await super().execute(query, *args, timeout=timeout)
        return status


def _binding(driver: object) -> TenantBindingConnection | None:
    # not isinstance(): asyncpg's metaclass makes every asyncpg connection an instance of any subclass
    return driver if issubclass(type(driver), TenantBindingConnection) else None  # type: ignore[return-value]


def _bind_tenant(session: Session, transaction: Any, connection: Any) -> None:
    if session.info.get(BINDS_TENANT):
        return
    tenant = current_tenant.get()
    driver = _binding(connection.connection.driver_connection)
    if driver is not None and not driver.is_in_transaction():
        driver.bind_tenant_at_begin(tenant)  # the driver's BEGIN, due before the first statement, carries it
        return
    connection.execute(_SET_TENANT, {"tenant": str(tenant) if tenant else ""})


def _forget_tenant(dbapi_connection: Any, record: Any) -> None:
    """A connection back in the pool forgets a tenant no statement used (a session that began but ran nothing)."""
    driver = _binding(record.driver_connection)
    if driver is not None:
        driver.forget_tenant()


def install_tenant_hook() -> None:
    """Register the hook on every ORM session (idempotent)."""
    global _installed  # noqa: PLW0603 - a process-wide registration, done once
    if not _installed:
        event.listen(Session, "after_begin", _bind_tenant)
        event.listen(Pool, "checkin", _forget_tenant)
        _installed = True
