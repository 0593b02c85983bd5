"""The one place the tenant reaches PostgreSQL: ``set_config(..., true)`` at the start of each transaction.

Transaction-local (``true``) so a pooled connection never carries a tenant into another request.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from shared.context import current_tenant

_SET_TENANT = text("SELECT set_config('app.tenant_id', :tenant, true)")
# In a session's ``info``: its first statement binds the tenant itself (the event consumer's inbox insert), which
# saves a round trip per message; until it runs, the RLS predicate sees no tenant and matches nothing.
BINDS_TENANT = "redcell_binds_tenant"
_installed = False


def _bind_tenant(session: Session, transaction: Any, connection: Any) -> None:
    if session.info.get(BINDS_TENANT):
        return
    tenant = current_tenant.get()
    connection.execute(_SET_TENANT, {"tenant": str(tenant) if tenant else ""})


def install_tenant_hook() -> None:
    """Register the hook on every ORM session (idempotent)."""
    global _installed  # noqa: PLW0603 - a process-wide registration, done once
    if not _installed:
        event.listen(Session, "after_begin", _bind_tenant)
        _installed = True
