"""Notifications and the public endpoint: the follow token of a resident's request.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("ticket", sa.Column("follow_token_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("ticket", "follow_token_hash")
