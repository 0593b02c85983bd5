"""Append-only audit log: who did what, in which tenant, when, from where, and for which stated purpose.

``record`` inserts into ``audit_event`` in the caller's transaction, so the entry commits or rolls
back together with the change it describes. The actor, client IP and request id come from context
variables filled once per unit of work (HTTP middleware, message handlers) with ``actor_scope``.

Rule: an audit entry names subjects by id and never holds personal data (no names, phone numbers,
ID numbers, addresses). Rows are kept for years and read by auditors who have no reveal rights.
``record`` refuses ``detail``, ``purpose`` and ``subject_id`` values that contain what looks like a
mainland mobile number or resident ID number; it is a safety net, not a licence to put other personal
data in free text.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import current_principal
from shared.context import Actor, actor_scope, current_actor, current_client_ip, current_request_id, current_tenant
from shared.db.appends import append
from shared.db.kernel import audit_event

__all__ = [
    "Actor",
    "PersonalDataInAuditError",
    "actor_scope",
    "check_no_personal_data",
    "current_actor",
    "current_client_ip",
    "current_request_id",
    "record",
]

_ACTOR_ID_MAX = 64
_ROLES_MAX = 200
_REQUEST_ID_MAX = 64


def _actor() -> Actor | None:
    actor = current_actor.get()
    if actor is not None:
        return actor
    # Until a middleware binds an Actor, the verified token's principal is the actor.
    principal = current_principal.get()
    if principal is not None:
        return Actor(str(principal.user_id), tuple(sorted(principal.roles)))
    return None


def _client_ip() -> str | None:
    raw = current_client_ip.get()
    if not raw:
        return None
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None  # a malformed forwarded header must not fail the business transaction


class PersonalDataInAuditError(ValueError):
    """An audit entry would have stored something that looks like personal data."""


# Bounded by anything alphanumeric so UUIDs, hashes and request ids do not trip it; separators inside
# the number ("138-1234-5678", "+86 138 1234 5678") are allowed.
_SEP = r"[\s-]?"
_MOBILE = re.compile(rf"(?<![0-9A-Za-z])(?:\+?86{_SEP})?1[3-9]\d(?:{_SEP}\d){{8}}(?![0-9A-Za-z])")
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:19|20)\d{9}[\dXx](?![0-9A-Za-z])")


def _scan(value: object, path: str) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _scan(key, path)
            _scan(item, f"{path}.{key}")
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _scan(item, path)
    elif isinstance(value, str | int) and not isinstance(value, bool):
        text = str(value)
        if _MOBILE.search(text) or _ID_CARD.search(text):
            # The message names where, never what: the value itself must not reach a log either.
            msg = f"audit {path} looks like it contains a phone or ID number; audit entries hold ids, not personal data"
            raise PersonalDataInAuditError(msg)


def check_no_personal_data(value: object, path: str = "detail") -> None:
    """Raise PersonalDataInAuditError when ``value`` (nested dicts and lists too) holds a phone or ID number."""
    _scan(value, path)


async def record(
    session: AsyncSession,
    action: str,
    *,
    subject_type: str | None = None,
    subject_id: str | None = None,
    purpose: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append an audit entry in the caller's transaction (tenant from ``current_tenant``)."""
    check_no_personal_data(detail or {}, "detail")
    check_no_personal_data(purpose, "purpose")
    check_no_personal_data(subject_id, "subject_id")
    actor = _actor()
    request_id = current_request_id.get()
    await append(  # written with the transaction's commit, in one statement with its other appended rows
        session,
        audit_event,
        {
            "tenant_id": current_tenant.get(),
            "actor_id": actor.id[:_ACTOR_ID_MAX] if actor else None,
            "actor_roles": ",".join(actor.roles)[:_ROLES_MAX] if actor and actor.roles else None,
            "action": action,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "purpose": purpose,
            "detail": detail or {},
            "request_id": request_id[:_REQUEST_ID_MAX] if request_id else None,
            "client_ip": _client_ip(),
        },
    )
