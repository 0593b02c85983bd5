"""Kernel tables and the org node tree.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import create_kernel_tables, drop_kernel_tables, enable_tenant_rls

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_kernel_tables("orgtree")
    op.create_table(
        "org_node",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), sa.ForeignKey("org_node.id", ondelete="RESTRICT"), nullable=True),
        sa.Column("tree", sa.String(20), nullable=False),
        sa.Column("level", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("path", sa.String(400, collation="C"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("tenant_id", "path", name="uq_org_node_tenant_path"),
    )
    op.create_index("ix_org_node_tenant_id", "org_node", ["tenant_id"])
    op.create_index("ix_org_node_tenant_parent", "org_node", ["tenant_id", "parent_id"])
    enable_tenant_rls("org_node")


def downgrade() -> None:
    op.drop_table("org_node")
    drop_kernel_tables()
