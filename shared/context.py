"""The unit of work's context: which district, which request, which actor.

Filled once per unit of work: by the HTTP middleware (from the verified JWT and the request), by the
dramatiq middleware (from a message's options) and by sweeps (per district). Read by the one SQLAlchemy
hook that sets ``app.tenant_id`` per transaction, by the audit log, the logs, the outbox and problem+json.
A missing tenant means the database shows no tenant rows at all. Everything in the kernel may import
this module; it imports nothing of the kernel.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from uuid import UUID

current_tenant: ContextVar[UUID | None] = ContextVar("redcell_tenant", default=None)
current_request_id: ContextVar[str | None] = ContextVar("redcell_request_id", default=None)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a user id, or a process name such as ``system:orgtree-worker``."""

    id: str
    roles: tuple[str, ...] = ()


current_actor: ContextVar[Actor | None] = ContextVar("redcell_audit_actor", default=None)
current_client_ip: ContextVar[str | None] = ContextVar("redcell_audit_client_ip", default=None)


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


@contextmanager
def actor_scope(
    actor_id: str | UUID,
    roles: Iterable[str] = (),
    *,
    client_ip: str | None = None,
    request_id: str | None = None,
) -> Iterator[Actor]:
    """Bind the actor (and optionally client IP and request id) for the audit entries written inside."""
    actor = Actor(str(actor_id), tuple(sorted(set(roles))))
    actor_token = current_actor.set(actor)
    ip_token = current_client_ip.set(client_ip)
    request_token = current_request_id.set(request_id) if request_id is not None else None
    try:
        yield actor
    finally:
        if request_token is not None:
            current_request_id.reset(request_token)
        current_client_ip.reset(ip_token)
        current_actor.reset(actor_token)
