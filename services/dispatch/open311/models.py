"""Open311 GeoReport v2 clients of a district (apps and city portals that file requests for residents) and the
requests they filed."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.dispatch.database import Base, tenant_column
from shared.db.base import TenantScoped, uuid7


class Open311Client(TenantScoped, Base):
    """A client's API key: only its SHA-256 is kept (32 random bytes need no slow hash) and its first characters,
    by which the district's administrator tells keys apart; a revoked key stops answering at once."""

    __tablename__ = "open311_client"
    __table_args__ = (
        UniqueConstraint("tenant_id", "key_hash", name="uq_open311_client_tenant_key"),
        Index("ix_open311_client_tenant_created", "tenant_id", "created_at"),
    )

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    contact: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    key_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    key_prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    created_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[uuid.UUID | None] = mapped_column()


class Open311Request(TenantScoped, Base):
    """A ticket filed through Open311, with the client that filed it and the service code it named: only these
    tickets are answered by the Open311 lookups (a phoned-in ticket is nobody's business there)."""

    __tablename__ = "open311_request"
    __table_args__ = (Index("ix_open311_request_tenant_created", "tenant_id", "created_at"),)

    tenant_id: Mapped[uuid.UUID] = tenant_column()
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("open311_client.id", ondelete="RESTRICT"), nullable=False)
    service_code: Mapped[str] = mapped_column(String(90), nullable=False)
    media_url: Mapped[str | None] = mapped_column(String(500))  # the client's link, shown to it only
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
