"""Offers that reach people away from the app (issue 12): each category's answer window, and who signed for an
offer on the provider's behalf (an operator taking the volunteer's call).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "service_category",
        sa.Column("answer_window_minutes", sa.Integer(), server_default=sa.text("10"), nullable=False),
    )
    op.create_check_constraint(
        "ck_service_category_answer_window", "service_category", "answer_window_minutes BETWEEN 1 AND 1440"
    )
    op.add_column("offer", sa.Column("accepted_on_behalf_by", sa.Uuid(), nullable=True))


def downgrade() -> None:
    op.drop_column("offer", "accepted_on_behalf_by")
    op.drop_constraint("ck_service_category_answer_window", "service_category", type_="check")
    op.drop_column("service_category", "answer_window_minutes")
