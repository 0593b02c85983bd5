"""Which district (tenant) the current unit of work belongs to.

Filled by the auth middleware from a verified JWT and by the dramatiq middleware from a
message's options; read by the one SQLAlchemy hook that sets ``app.tenant_id`` per transaction.
A missing tenant means the database shows no tenant rows at all.
"""

from shared.tenancy.context import (
    TenantRequiredError,
    current_tenant,
    get_tenant,
    require_tenant,
    tenant_scope,
)

__all__ = ["TenantRequiredError", "current_tenant", "get_tenant", "require_tenant", "tenant_scope"]
