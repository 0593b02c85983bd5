"""Star levels and titles on units and members; warnings and re-education dispositions (issue 13).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("star_level", "honour_title", "member_warning", "disposition")


def _common() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "star_level",
        *_common(),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("rating_id", sa.Uuid(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_star_level")),
        sa.UniqueConstraint("tenant_id", "entry_id", name="uq_star_level_tenant_entry"),
    )
    op.create_index("ix_star_level_subject", "star_level", ["tenant_id", "subject_id", "published_at"])
    op.create_table(
        "honour_title",
        *_common(),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("award_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("title_name", sa.String(length=100), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("awarded_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_honour_title")),
        sa.UniqueConstraint("tenant_id", "award_id", name="uq_honour_title_tenant_award"),
    )
    op.create_index("ix_honour_title_subject", "honour_title", ["tenant_id", "subject_id", "awarded_on"])
    op.create_table(
        "member_warning",
        *_common(),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("warned_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_warning")),
    )
    op.create_index("ix_member_warning_member", "member_warning", ["tenant_id", "member_id", "warned_on"])
    op.create_table(
        "disposition",
        *_common(),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("concluded_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("to_branch_id", sa.Uuid(), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disposition")),
        sa.UniqueConstraint("tenant_id", "case_id", name="uq_disposition_tenant_case"),
    )
    op.create_index("ix_disposition_state", "disposition", ["tenant_id", "state", "recorded_at"])
    for table in NEW_TABLES:
        op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"])
        enable_tenant_rls(table)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)  # its indexes, constraints and policy go with it
