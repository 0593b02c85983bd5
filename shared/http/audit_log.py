"""Reading a service's audit log: ``GET /api/<service>/audit`` for the district's administrator.

Every service database holds an append-only ``audit_event`` (shared/audit.py writes it); this is the one way it
is read. The request's app-role transaction is bound to the caller's district, so RLS confines the rows; filters
are exact (actor, action, subject) plus a time range; pages are keyset on the row id, newest first (``cursor`` is
the last id of the previous page), so a page costs the same however deep and new rows never shift one. The
console merges the services' pages by time (services/console/admin/audit.py).

A service mounts it with one line: ``audit_log_controller("orgtree")`` in its app's handlers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Role
from shared.db.kernel import audit_event
from shared.http.guards import requires_role, requires_tenant
from shared.http.problems import invalid


class AuditEvent(msgspec.Struct, rename="camel", kw_only=True):
    id: int
    occurred_at: datetime
    actor_id: str | None  # the user's id (ids only: shared/audit.py)
    actor_roles: str | None
    action: str  # e.g. personal_data.revealed, user.locked
    subject_type: str | None  # e.g. member, household, user
    subject_id: str | None
    purpose: str | None  # the purpose stated for a reveal
    detail: dict[str, Any]  # e.g. {"field": "phone"} for a reveal
    request_id: str | None
    client_ip: str | None


class AuditPage(msgspec.Struct, rename="camel", kw_only=True):
    items: list[AuditEvent]
    next: str | None  # the cursor of the next (older) page; None on the last


Text64 = Annotated[str | None, QueryParameter(min_length=1, max_length=64)]
Cursor = Annotated[str | None, QueryParameter(name="cursor", max_length=20, description="`next` of the page before")]
Limit = Annotated[int, QueryParameter(ge=1, le=200)]
Since = Annotated[datetime | None, QueryParameter(description="from this moment (ISO 8601), included")]
Until = Annotated[datetime | None, QueryParameter(description="before this moment (ISO 8601), excluded")]


async def read_audit_page(  # noqa: PLR0917 - one argument per filter
    session: AsyncSession,
    actor: str | None,
    action: str | None,
    subject_type: str | None,
    subject_id: str | None,
    since: datetime | None,
    until: datetime | None,
    cursor: str | None,
    limit: int,
) -> AuditPage:
    statement = select(audit_event)
    for column, value in (
        (audit_event.c.actor_id, actor),
        (audit_event.c.action, action),
        (audit_event.c.subject_type, subject_type),
        (audit_event.c.subject_id, subject_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    if since is not None and until is not None and since >= until:
        raise invalid("query.until", "must be later than since")
    if since is not None:
        statement = statement.where(audit_event.c.occurred_at >= since)
    if until is not None:
        statement = statement.where(audit_event.c.occurred_at < until)
    if cursor is not None:
        if not cursor.isdigit():
            raise invalid("query.cursor", "not a cursor returned by a previous page")
        statement = statement.where(audit_event.c.id < int(cursor))
    rows = (await session.execute(statement.order_by(audit_event.c.id.desc()).limit(limit + 1))).mappings().all()
    items = [
        AuditEvent(
            id=row["id"],
            occurred_at=row["occurred_at"],
            actor_id=row["actor_id"],
            actor_roles=row["actor_roles"],
            action=row["action"],
            subject_type=row["subject_type"],
            subject_id=row["subject_id"],
            purpose=row["purpose"],
            detail=row["detail"] or {},
            request_id=row["request_id"],
            client_ip=str(row["client_ip"]) if row["client_ip"] is not None else None,
        )
        for row in rows[:limit]
    ]
    return AuditPage(items=items, next=str(items[-1].id) if len(rows) > limit else None)


def audit_log_controller(service: str, path: str | None = None) -> type[Controller]:
    """The audit-log route of ``service`` at ``path`` (``/api/<service>/audit`` unless given)."""

    class AuditLogController(Controller):
        tags = ["Audit"]
        guards = [requires_tenant, requires_role(Role.DISTRICT_ADMIN)]

        @get(
            "/",
            operation_id=f"List{service.capitalize()}AuditEvents",
            summary=f"The district's audit log kept by {service}, newest first",
        )
        async def events(  # noqa: PLR0917 - one parameter per filter
            self,
            db_session: NamedDependency[AsyncSession],
            actor: Text64 = None,
            action: Annotated[str | None, QueryParameter(min_length=1, max_length=120)] = None,
            subject_type: Annotated[str | None, QueryParameter(name="subjectType", min_length=1, max_length=80)] = None,
            subject_id: Annotated[str | None, QueryParameter(name="subjectId", min_length=1, max_length=64)] = None,
            since: Since = None,
            until: Until = None,
            cursor: Cursor = None,
            limit: Limit = 50,
        ) -> AuditPage:
            return await read_audit_page(
                db_session, actor, action, subject_type, subject_id, since, until, cursor, limit
            )

    AuditLogController.path = path or f"/api/{service}/audit"
    AuditLogController.__name__ = AuditLogController.__qualname__ = f"{service.capitalize()}AuditLogController"
    return AuditLogController
