from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID

current_tenant: ContextVar[UUID | None] = ContextVar("redcell_tenant", default=None)


class TenantRequiredError(RuntimeError):
    """Tenant-scoped work was attempted with no tenant bound."""


def get_tenant() -> UUID | None:
    return current_tenant.get()


def require_tenant() -> UUID:
    tenant = current_tenant.get()
    if tenant is None:
        msg = "no tenant is bound to this unit of work"
        raise TenantRequiredError(msg)
    return tenant


@contextmanager
def tenant_scope(tenant_id: UUID | None) -> Iterator[None]:
    token = current_tenant.set(tenant_id)
    try:
        yield
    finally:
        current_tenant.reset(token)
