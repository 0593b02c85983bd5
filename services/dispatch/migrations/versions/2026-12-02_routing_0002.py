"""Routing: at most one open offer per ticket and provider (two routing runs racing cannot double an order).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "uq_offer_open_ticket_provider",
        "offer",
        ["tenant_id", "ticket_id", "provider_id"],
        unique=True,
        postgresql_where=sa.text("status = 'open'"),
    )


def downgrade() -> None:
    op.drop_index("uq_offer_open_ticket_provider", table_name="offer")
