"""Append-only audit log (placeholder until the full module lands)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.kernel import audit_event
from shared.tenancy import current_tenant


async def record(
    session: AsyncSession,
    action: str,
    *,
    subject_type: str | None = None,
    subject_id: str | None = None,
    purpose: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    await session.execute(
        insert(audit_event).values(
            tenant_id=current_tenant.get(),
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            purpose=purpose,
            detail=detail or {},
        )
    )
