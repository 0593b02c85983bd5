"""district users locked by their administrator (issue 15): a membership's lock, and a district's status checked.

A lock belongs to the membership, not the login: a city hotline operator locked in one district still signs in to
another. A locked membership gives no tokens and renews none (identity/services.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("membership", sa.Column("locked_at", sa.DateTime(timezone=True)))
    op.create_check_constraint("ck_tenant_status_known", "tenant", "status IN ('active', 'suspended', 'retired')")


def downgrade() -> None:
    op.drop_constraint("ck_tenant_status_known", "tenant", type_="check")
    op.drop_column("membership", "locked_at")
