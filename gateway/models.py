"""The gateway's own database: tenants, users, memberships, refresh tokens and signing keys."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db.base import TenantScoped, new_metadata, uuid7


class Base(DeclarativeBase):
    """Declarative base of the gateway's tables."""

    metadata = new_metadata()


class Tenant(Base):
    """A district (区/县). Platform-level registry: no tenant_id, read by the gateway's system role."""

    __tablename__ = "tenant"
    __table_args__ = (
        CheckConstraint("slug ~ '^[a-z][a-z0-9-]{2,62}$'", name="slug_format"),
        CheckConstraint("status IN ('active', 'suspended', 'retired')", name="status_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    slug: Mapped[str] = mapped_column(String(63), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    parent_region: Mapped[str | None] = mapped_column(String(200))
    # Only an active district's users sign in or renew tokens; a suspended one may be reactivated.
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="active")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class UserAccount(Base):
    """One login for a person, platform-level: a city hotline operator may hold several districts' memberships."""

    __tablename__ = "user_account"
    # Stored lower-case, so the unique constraint is case-insensitive.
    __table_args__ = (
        CheckConstraint("username = lower(username)", name="username_lower"),
        CheckConstraint("btrim(display_name) <> ''", name="display_name_not_blank"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    username: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)  # stored lower-case
    # How services show the user (history rows, lists) and the token's ``name`` claim; the username by default.
    display_name: Mapped[str] = mapped_column(String(80), nullable=False)
    password_hash: Mapped[str] = mapped_column(Text, nullable=False)
    is_platform_operator: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary)  # AES-GCM under the master key
    totp_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)  # a code is accepted once (no replay)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Membership(TenantScoped, Base):
    """A user's roles in one district, confined to an org-tree path when ``scope`` is set."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", name="uq_membership_tenant_user"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False)
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False)
    scope: Mapped[str | None] = mapped_column(String(400, collation="C"))
    # Set by the district's administrator: no sign-in to this district and no renewal while set.
    locked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RefreshToken(Base):
    """Opaque refresh tokens (only their SHA-256 is stored), rotated on use; a family dies together."""

    __tablename__ = "refresh_token"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False)
    tenant_id: Mapped[uuid.UUID | None] = mapped_column()
    family_id: Mapped[uuid.UUID] = mapped_column(nullable=False, index=True)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary, unique=True, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    replaced_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("refresh_token.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SigningKey(Base):
    """Ed25519 keys: the latest activated one signs; every unretired one (staged ones too) is in the JWKS."""

    __tablename__ = "signing_key"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    algorithm: Mapped[str] = mapped_column(String(10), nullable=False, default="EdDSA")
    private_key: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)  # PEM, AES-GCM under the master key
    public_jwk: Mapped[dict[str, str]] = mapped_column(JSONB, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    activated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


import gateway.city.models  # noqa: E402
import gateway.tenants.models  # noqa: E402 - alembic reads every table from this module's Base
import gateway.transfers.models  # noqa: E402, F401
