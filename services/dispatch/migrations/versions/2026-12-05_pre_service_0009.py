"""Volunteers dispatched only after pre-service training (issue 13, DSP-12/EVT-14): when a member volunteer's
pre-service training was completed, training's completions kept for providers that do not exist yet, and the
district setting. Existing districts keep routing as before (the setting off); new ones are seeded with it on.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("provider", sa.Column("pre_service_completed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "dispatch_settings",
        sa.Column("require_pre_service", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "pre_service_completion",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_pre_service_completion")),
    )
    op.create_index("ix_pre_service_completion_member", "pre_service_completion", ["tenant_id", "member_id"])
    op.create_index("ix_pre_service_completion_user", "pre_service_completion", ["tenant_id", "user_id"])
    enable_tenant_rls("pre_service_completion")


def downgrade() -> None:
    op.drop_index("ix_pre_service_completion_user", table_name="pre_service_completion")
    op.drop_index("ix_pre_service_completion_member", table_name="pre_service_completion")
    op.drop_table("pre_service_completion")
    op.drop_column("dispatch_settings", "require_pre_service")
    op.drop_column("provider", "pre_service_completed_at")
