"""Database cells (issue 17): which PostgreSQL cluster holds each district's rows of each component. Every
existing district is placed on ``main``, where its rows are.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COMPONENTS = ("orgtree", "dispatch", "training", "documents")  # those with a database of their own, in 2026-12


def upgrade() -> None:
    op.create_table(
        "tenant_placement",
        sa.Column("tenant_id", sa.Uuid(), sa.ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("component", sa.String(40), primary_key=True),
        sa.Column("cell", sa.String(40), nullable=False, server_default="main"),
        sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.execute(
        sa.text(
            "INSERT INTO tenant_placement (tenant_id, component, cell) "
            "SELECT t.id, c.name, 'main' FROM tenant t CROSS JOIN unnest(CAST(:names AS text[])) AS c(name)"
        ).bindparams(names=list(COMPONENTS))
    )
    # after the rows above (RLS is forced on the owner too): read across districts by the system role only
    enable_tenant_rls("tenant_placement")


def downgrade() -> None:
    op.drop_table("tenant_placement")
