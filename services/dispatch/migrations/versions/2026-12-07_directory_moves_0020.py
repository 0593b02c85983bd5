"""Directory moves (issue 17): the last move applied per orgtree unit, so a replayed or late ``orgtree.UnitMoved``
changes nothing, and the directory's grids found by path range (a move rewrites a subtree's paths by prefix).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "directory_unit_move",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_directory_unit_move")),
    )
    enable_tenant_rls("directory_unit_move")
    op.create_index("ix_directory_grid_tenant_path", "directory_grid", ["tenant_id", "path"])


def downgrade() -> None:
    op.drop_index("ix_directory_grid_tenant_path", table_name="directory_grid")
    op.drop_table("directory_unit_move")
