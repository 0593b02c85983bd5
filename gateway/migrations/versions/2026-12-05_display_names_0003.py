"""display names (issue 12): the name a user is shown by (history rows, lists), in the access token's ``name``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing users are shown by their username until an administrator gives them a name.
    op.add_column("user_account", sa.Column("display_name", sa.String(80)))
    op.execute("UPDATE user_account SET display_name = username")
    op.alter_column("user_account", "display_name", nullable=False)
    op.create_check_constraint("ck_user_account_display_name_not_blank", "user_account", "btrim(display_name) <> ''")


def downgrade() -> None:
    op.drop_constraint("ck_user_account_display_name_not_blank", "user_account", type_="check")
    op.drop_column("user_account", "display_name")
