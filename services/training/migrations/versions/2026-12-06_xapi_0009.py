"""xAPI statements and LRS push (issue 13): the district's statements with their push bookkeeping, and the
district's learning record store (its password sealed).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import enable_tenant_rls

PATH = sa.String(length=400, collation="C")

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "xapi_statement",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("stored", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verb", sa.String(length=200), nullable=False),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("activity_id", sa.String(length=400), nullable=False),
        sa.Column("related_activities", postgresql.ARRAY(sa.String(length=400)), nullable=False),
        sa.Column("registration", sa.Uuid(), nullable=True),
        sa.Column("unit_path", PATH, nullable=True),
        sa.Column("statement", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xapi_statement")),
    )
    op.create_index("ix_xapi_statement_tenant_stored", "xapi_statement", ["tenant_id", "stored", "id"], unique=False)
    op.create_index(
        "ix_xapi_statement_tenant_actor", "xapi_statement", ["tenant_id", "actor_name", "stored"], unique=False
    )
    op.create_index(
        "ix_xapi_statement_tenant_activity", "xapi_statement", ["tenant_id", "activity_id", "stored"], unique=False
    )
    op.create_index(
        "ix_xapi_statement_tenant_registration", "xapi_statement", ["tenant_id", "registration"], unique=False
    )
    op.create_index(
        "ix_xapi_statement_related", "xapi_statement", ["related_activities"], unique=False, postgresql_using="gin"
    )
    op.create_index(
        "ix_xapi_statement_push_due",
        "xapi_statement",
        ["next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("pushed_at IS NULL"),
    )
    op.create_table(
        "xapi_lrs",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("endpoint", sa.String(length=500), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("password_cipher", sa.LargeBinary(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_xapi_lrs")),
    )
    for table in ("xapi_statement", "xapi_lrs"):
        enable_tenant_rls(table)


def downgrade() -> None:
    op.drop_table("xapi_lrs")
    op.drop_index(
        "ix_xapi_statement_push_due", table_name="xapi_statement", postgresql_where=sa.text("pushed_at IS NULL")
    )
    op.drop_index("ix_xapi_statement_related", table_name="xapi_statement", postgresql_using="gin")
    op.drop_index("ix_xapi_statement_tenant_registration", table_name="xapi_statement")
    op.drop_index("ix_xapi_statement_tenant_activity", table_name="xapi_statement")
    op.drop_index("ix_xapi_statement_tenant_actor", table_name="xapi_statement")
    op.drop_index("ix_xapi_statement_tenant_stored", table_name="xapi_statement")
    op.drop_table("xapi_statement")
