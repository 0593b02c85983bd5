"""Kernel tables, tenant registry, users, memberships, refresh tokens, signing keys.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import create_kernel_tables, drop_kernel_tables, enable_tenant_rls

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.func.now()


def upgrade() -> None:
    create_kernel_tables("gateway")
    op.create_table(
        "tenant",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("slug", sa.String(63), nullable=False),
        sa.UniqueConstraint("slug", name="uq_tenant_slug"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("parent_region", sa.String(200)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("username", sa.String(80), nullable=False),
        sa.UniqueConstraint("username", name="uq_user_account_username"),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("is_platform_operator", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("totp_secret", sa.LargeBinary()),
        sa.Column("totp_enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_table(
        "membership",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False),
        sa.Column("roles", postgresql.ARRAY(sa.String(40)), nullable=False),
        sa.Column("scope", sa.String(400, collation="C")),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.UniqueConstraint("tenant_id", "user_id", name="uq_membership_tenant_user"),
    )
    enable_tenant_rls("membership")
    op.create_table(
        "refresh_token",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False),
        sa.Column("tenant_id", sa.Uuid()),
        sa.Column("family_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("token_hash", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("token_hash", name="uq_refresh_token_token_hash"),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    enable_tenant_rls("refresh_token")  # identity flows use the system role; the app role sees only its tenant
    op.create_table(
        "signing_key",
        sa.Column("kid", sa.String(64), primary_key=True),
        sa.Column("algorithm", sa.String(10), nullable=False),
        sa.Column("private_key", sa.LargeBinary(), nullable=False),
        sa.Column("public_jwk", postgresql.JSONB(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    for table in ("signing_key", "refresh_token", "membership", "user_account", "tenant"):
        op.drop_table(table)
    drop_kernel_tables()
