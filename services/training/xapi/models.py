"""The district's xAPI statements (written with the attendance they describe) and its learning record store."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Index, Integer, LargeBinary, String, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.training.database import PATH, Base, tenant_column
from shared.context import require_tenant
from shared.db.base import TenantScoped


class XapiStatement(TenantScoped, Base):
    """One statement as the LRS API returns it (``statement``, exact), with the columns its filters read and the
    push bookkeeping. The id is derived from the attendance, so writing it again changes nothing."""

    __tablename__ = "xapi_statement"
    __table_args__ = (
        Index("ix_xapi_statement_tenant_stored", "tenant_id", "stored", "id"),
        Index("ix_xapi_statement_tenant_actor", "tenant_id", "actor_name", "stored"),
        Index("ix_xapi_statement_tenant_activity", "tenant_id", "activity_id", "stored"),
        Index("ix_xapi_statement_tenant_registration", "tenant_id", "registration"),
        Index("ix_xapi_statement_related", "related_activities", postgresql_using="gin"),
        Index("ix_xapi_statement_push_due", "next_attempt_at", postgresql_where=text("pushed_at IS NULL")),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    stored: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    timestamp: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    verb: Mapped[str] = mapped_column(String(200), nullable=False)
    actor_name: Mapped[str] = mapped_column(String(100), nullable=False)  # the account name: a training person id
    activity_id: Mapped[str] = mapped_column(String(400), nullable=False)  # the object's id
    related_activities: Mapped[list[str]] = mapped_column(ARRAY(String(400)), nullable=False)  # object + context
    registration: Mapped[uuid.UUID | None] = mapped_column()
    unit_path: Mapped[str | None] = mapped_column(PATH)  # the organising unit's: confines scoped organisers
    statement: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    pushed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class LrsSettings(TenantScoped, Base):
    """Where the district's statements are pushed: one row per district, the password sealed (``lrs.py``)."""

    __tablename__ = "xapi_lrs"

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=require_tenant)
    endpoint: Mapped[str] = mapped_column(String(500), nullable=False)  # ends with "/": statements/ is appended
    username: Mapped[str] = mapped_column(String(200), nullable=False)
    password_cipher: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    updated_by: Mapped[uuid.UUID | None] = mapped_column()
