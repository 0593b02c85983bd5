"""A unit's latest move keeps its paths and new chain, so that a grid's creation event arriving after the move is
moved too (directory/moves.py).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("old_path", "new_path")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("directory_unit_move", sa.Column(name, sa.String(length=400, collation="C"), nullable=True))
    op.add_column("directory_unit_move", sa.Column("chain", postgresql.JSONB(), nullable=True))


def downgrade() -> None:
    op.drop_column("directory_unit_move", "chain")
    for name in reversed(COLUMNS):
        op.drop_column("directory_unit_move", name)
