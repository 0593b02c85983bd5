"""Identity hardening: refresh-token chains, staged signing keys, one-time-code replay guard, checks.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Which token replaced a rotated one: an auditor can follow a session's chain after a reuse alarm.
    op.add_column("refresh_token", sa.Column("replaced_by", sa.Uuid()))
    op.create_foreign_key(
        "fk_refresh_token_replaced_by_refresh_token",
        "refresh_token",
        "refresh_token",
        ["replaced_by"],
        ["id"],
        ondelete="SET NULL",
    )
    # A key may be published before it signs, so every verifier has it before the first token arrives.
    op.add_column("signing_key", sa.Column("activated_at", sa.DateTime(timezone=True)))
    op.execute("UPDATE signing_key SET activated_at = created_at")
    op.alter_column("signing_key", "activated_at", nullable=False, server_default=sa.func.now())
    # The last accepted one-time-code time step: a code that was used once is refused afterwards.
    op.add_column("user_account", sa.Column("totp_last_step", sa.BigInteger()))
    # Usernames are unique case-insensitively because they are stored lower-case; the database holds us to it.
    op.create_check_constraint("ck_user_account_username_lower", "user_account", "username = lower(username)")
    op.create_check_constraint("ck_tenant_slug_format", "tenant", "slug ~ '^[a-z][a-z0-9-]{2,62}$'")


def downgrade() -> None:
    op.drop_constraint("ck_tenant_slug_format", "tenant", type_="check")
    op.drop_constraint("ck_user_account_username_lower", "user_account", type_="check")
    op.drop_column("user_account", "totp_last_step")
    op.drop_column("signing_key", "activated_at")
    op.drop_constraint("fk_refresh_token_replaced_by_refresh_token", "refresh_token", type_="foreignkey")
    op.drop_column("refresh_token", "replaced_by")
